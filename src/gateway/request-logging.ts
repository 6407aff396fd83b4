import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/** A caller-supplied request id is kept only when it is short and plain, so it is safe to log and echo. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Gives every request an id (`X-Request-Id`, echoed back), a child logger in `res.locals.log`, and one
 * structured line when the answer is sent: method, path, status, duration and role.
 */
export function logRequests(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const log = logger.child({ requestId });
    const started = process.hrtime.bigint();
    res.locals.requestId = requestId;
    res.locals.log = log;
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const principal = res.locals.principal as { role?: string; keyLabel?: string } | undefined;
      log.info(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          role: principal?.role,
          key: principal?.keyLabel,
        },
        'request completed',
      );
    });
    next();
  };
}
