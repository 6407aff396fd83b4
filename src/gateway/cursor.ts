import { z } from 'zod';
import { ValidationError } from '../errors';

/** Position in a newest-first list: the sort key of the last item served. */
export const ListPosition = z.tuple([z.string(), z.string()]);
export type ListPosition = z.infer<typeof ListPosition>;

/** Encodes a list position as an opaque base64url token. */
export const encodeCursor = (position: ListPosition): string =>
  Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');

/** Decodes a token from `encodeCursor`; anything else is a 422 on `cursor`. */
export function decodeCursor(cursor: string): ListPosition {
  try {
    return ListPosition.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new ValidationError('The cursor is not one this API handed out.', [
      { path: 'cursor', message: 'unknown cursor' },
    ]);
  }
}
