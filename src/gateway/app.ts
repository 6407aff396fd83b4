import express from 'express';
import type { GatewayDeps } from './deps';
import { docsPage } from './docs-page';
import { healthRoutes } from './health';
import { apiRouter } from './mount-routes';
import { buildOpenApiDocument } from './openapi';
import { notFoundHandler, problemHandler } from './problem';
import { logRequests } from './request-logging';
import { API_ROUTES } from './routes';

export type { GatewayDeps, Readiness } from './deps';

/** Largest JSON body accepted; larger ones get a 413 problem. */
export const BODY_LIMIT = '256kb';

/** Builds the gateway; it listens nowhere, so tests drive it with supertest and main.ts gives it a port. */
export function createApp(deps: GatewayDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(logRequests(deps.logger));
  app.use(express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] }));

  const openApiDocument = buildOpenApiDocument(API_ROUTES);
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  app.use(docsPage());
  app.use(healthRoutes(deps));
  app.use(apiRouter(API_ROUTES, deps));

  app.use(notFoundHandler);
  app.use(problemHandler(deps.logger));
  return app;
}
