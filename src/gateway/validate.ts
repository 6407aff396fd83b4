import { z } from 'zod';
import { ValidationError } from '../errors';

/** Where a value came from, so the problem detail can say which part of the request is wrong. */
export type RequestPart = 'body' | 'query' | 'path' | 'header';

const PART_NAMES: Record<RequestPart, string> = {
  body: 'request body',
  query: 'query parameters',
  path: 'path parameters',
  header: 'request headers',
};

/** Renders a zod path as `lines.0.quantity` (empty for the whole value). */
export const formatPath = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/** One `{path, message}` per problem; an unknown field gets its own entry with its own path. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): { path: string; message: string }[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown field' }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}

/** Parses one part of a request with its strict schema, or throws a 422 listing every issue. */
export function parseRequestPart<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: RequestPart,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = describeIssues(result.error.issues);
  throw new ValidationError(`The ${PART_NAMES[part]} did not pass validation.`, errors);
}
