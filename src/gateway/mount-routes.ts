import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../errors';
import { authenticate, principalOf, requireRole } from './auth';
import type { GatewayDeps } from './deps';
import { runIdempotently } from './idempotency';
import { toExpressPath, type Reply, type Route } from './route';
import { parseRequestPart } from './validate';

/** A body is JSON or absent; anything else is refused before it reaches a schema. */
function assertJsonBody(req: Request): void {
  // An empty POST (Content-Length: 0, no type) is no body at all, not a body of the wrong type.
  const declaresBody =
    req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? 0) > 0;
  if (declaresBody && !req.is(['application/json', 'application/*+json'])) {
    throw new AppError(
      415,
      'unsupported-media-type',
      'Unsupported media type',
      'Send the body as application/json.',
    );
  }
}

function sendReply(res: Response, reply: Reply): void {
  res.status(reply.status).set(reply.headers ?? {});
  if (reply.status === 204) res.end();
  else res.json(reply.body);
}

/** Validates a request against its route, runs the handler (once per Idempotency-Key) and sends the answer. */
async function serveRoute(route: Route, deps: GatewayDeps, req: Request, res: Response): Promise<void> {
  const principal = principalOf(res);
  const params: unknown = route.params ? parseRequestPart(route.params, req.params, 'path') : undefined;
  const query: unknown = route.query ? parseRequestPart(route.query, req.query, 'query') : undefined;
  let body: unknown;
  if (route.body) {
    assertJsonBody(req);
    const raw: unknown = req.body === undefined && route.bodyOptional ? {} : req.body;
    body = parseRequestPart(route.body, raw, 'body');
  }
  const log = (res.locals.log as Logger | undefined) ?? deps.logger;
  const execute = () => route.handle({ body, query, params, principal, log, deps, req });
  const key = req.get('idempotency-key');
  const reply =
    route.idempotencyKey && key !== undefined
      ? await runIdempotently(
          deps.collections.idempotency,
          { principal, key, method: req.method, path: req.path, body },
          execute,
        )
      : await execute();
  sendReply(res, reply);
}

/** The `/v1` router: authentication, then each route behind its roles; a known path with another method is 405. */
export function apiRouter(routes: readonly Route[], deps: GatewayDeps): Router {
  const router = Router();
  router.use('/v1', authenticate(deps.config.apiKeys));
  for (const route of routes) {
    router[route.method](toExpressPath(route.path), requireRole(...route.roles), (req, res) =>
      serveRoute(route, deps, req, res),
    );
  }
  const methodsByPath = new Map<string, string[]>();
  for (const route of routes) {
    methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method.toUpperCase()]);
  }
  for (const [path, methods] of methodsByPath) {
    router.all(toExpressPath(path), (_req, res, next) => {
      res.setHeader('Allow', methods.join(', '));
      next(
        new AppError(405, 'method-not-allowed', 'Method not allowed', `Use ${methods.join(' or ')} here.`),
      );
    });
  }
  return router;
}
