import type { Request } from 'express';
import { z } from 'zod';
import { hashRequest } from './canonical-json';
import { IdempotencyKey } from './idempotency';
import type { Principal } from './route';
import { parseRequestPart } from './validate';

const Header = z.object({ 'Idempotency-Key': IdempotencyKey });

/**
 * A deterministic id for the stock movement a request makes, derived from its Idempotency-Key (per role
 * and operation), so that a request replayed after a crash is applied once; undefined without the header.
 */
export function movementKeyOf(req: Request, principal: Principal, operation: string): string | undefined {
  const key = req.get('idempotency-key');
  if (key === undefined) return undefined;
  parseRequestPart(Header, { 'Idempotency-Key': key }, 'header');
  return `idem-${hashRequest([principal.role, operation, key]).slice(0, 40)}`;
}
