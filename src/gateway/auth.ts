import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Role } from '../config';
import { ForbiddenError, UnauthorizedError } from '../errors';
import type { Principal } from './route';

/** A stable label for a key that can go into logs and audit trails without revealing the key. */
export const labelApiKey = (key: string): string =>
  `key-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Finds the role of a presented key, comparing digests in constant time. */
function findRole(apiKeys: ReadonlyMap<string, Role>, presented: string): Role | undefined {
  const presentedDigest = digest(presented);
  let found: Role | undefined;
  for (const [key, role] of apiKeys) {
    if (timingSafeEqual(digest(key), presentedDigest)) found = role;
  }
  return found;
}

/** Reads `Authorization: Bearer <key>`; 401 when it is missing or unknown. Sets `res.locals.principal`. */
export function authenticate(apiKeys: ReadonlyMap<string, Role>): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (!match?.[1]) {
      next(new UnauthorizedError());
      return;
    }
    const role = findRole(apiKeys, match[1]);
    if (!role) {
      next(new UnauthorizedError('The API key is not known.'));
      return;
    }
    const principal: Principal = { role, keyLabel: labelApiKey(match[1]) };
    res.locals.principal = principal;
    next();
  };
}

/** The caller authenticated by `authenticate`. */
export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new UnauthorizedError();
  return principal;
}

/** 403 unless the caller's role is one of `roles`. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    const { role } = principalOf(res);
    next(roles.includes(role) ? undefined : new ForbiddenError(`The role "${role}" may not do this.`));
  };
}
