/** One error family for everything the OMS rejects on purpose; the gateway maps it to problem+json in one place. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    detail: string,
    readonly errors?: { path: string; message: string }[],
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(detail: string, errors: { path: string; message: string }[] = []) {
    super(422, 'validation-error', 'Request is not valid', detail, errors);
  }
}

export class NotFoundError extends AppError {
  constructor(detail: string) {
    super(404, 'not-found', 'Not found', detail);
  }
}

export class ConflictError extends AppError {
  constructor(detail: string, type = 'conflict') {
    super(409, type, 'Conflict with the current state', detail);
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail = 'Send Authorization: Bearer <api key>.') {
    super(401, 'unauthorized', 'Missing or unknown API key', detail);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail: string) {
    super(403, 'forbidden', 'This role may not do that', detail);
  }
}

export class UnavailableError extends AppError {
  constructor(detail: string) {
    super(503, 'unavailable', 'A dependency is unavailable', detail);
  }
}
