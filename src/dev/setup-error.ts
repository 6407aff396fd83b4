/** A problem the person running the project can fix; its message tells the whole story, so no stack trace is shown. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

/** Formats an error for a terminal: the plain message of a SetupError, the stack of anything else. */
export function describeFailure(error: unknown): string {
  if (error instanceof SetupError) return error.message;
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}
