import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError, NotFoundError, ValidationError } from '../errors';
import { describeIssues } from './validate';

/** The RFC 9457 body every error answer carries. */
export const Problem = z
  .object({
    type: z.string().describe('A URI reference naming the kind of problem, e.g. /problems/validation-error'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional().describe('Quote it when asking for help: the logs carry the same id.'),
    errors: z.array(z.object({ path: z.string(), message: z.string() }).strict()).optional(),
  })
  .strict();
export type Problem = z.infer<typeof Problem>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Writes a problem+json answer. */
export function sendProblem(req: Request, res: Response, error: AppError): void {
  const body: Problem = {
    type: `/problems/${error.type}`,
    title: error.title,
    status: error.status,
    detail: error.message,
    instance: req.originalUrl,
    ...(res.locals.requestId ? { requestId: String(res.locals.requestId) } : {}),
    ...(error.errors && error.errors.length > 0 ? { errors: error.errors } : {}),
  };
  res.status(error.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** Errors raised by Express's body parser carry a `type` such as `entity.parse.failed`. */
const BodyParserError = z.object({ type: z.string(), status: z.number().int() });

/** Maps what the body parser rejects to a client error with a fixed, safe message. */
function fromBodyParser(error: unknown): AppError | undefined {
  const parsed = BodyParserError.safeParse(error);
  if (!parsed.success) return undefined;
  switch (parsed.data.type) {
    case 'entity.parse.failed':
      return new AppError(400, 'malformed-json', 'Malformed JSON', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new AppError(413, 'payload-too-large', 'Payload too large', 'The request body is too large.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'unsupported-media-type', 'Unsupported media type', 'Send UTF-8 JSON.');
    default:
      return parsed.data.status >= 400 && parsed.data.status < 500
        ? new AppError(parsed.data.status, 'bad-request', 'Bad request', 'The request could not be read.')
        : undefined;
  }
}

/** Turns any error into the problem it means for the client; unknown ones become a generic 500. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) {
    return new ValidationError('The request did not pass validation.', describeIssues(error.issues));
  }
  return (
    fromBodyParser(error) ??
    new AppError(
      500,
      'internal-error',
      'Internal error',
      'Something went wrong on our side; it has been logged.',
    )
  );
}

/** The one place errors become HTTP answers: the client gets a problem, the log gets the real error. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const problem = toAppError(error);
    const log = (res.locals.log as Logger | undefined) ?? logger;
    if (problem.status >= 500) log.error({ err: error }, 'request failed');
    else log.debug({ err: error, status: problem.status }, 'request rejected');
    sendProblem(req, res, problem);
  };
}

/** Anything no route matched. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`No route ${req.method} ${req.path}.`));
};
