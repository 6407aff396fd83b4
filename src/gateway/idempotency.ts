import { MongoServerError } from 'mongodb';
import type { Collection } from 'mongodb';
import { z } from 'zod';
import { AppError, ConflictError } from '../errors';
import type { IdempotencyDoc } from '../db/documents';
import { expiryFor } from '../db/retention';
import { hashRequest } from './canonical-json';
import type { Principal, Reply } from './route';
import { parseRequestPart } from './validate';

/** The header value: long enough for a UUID or a provider's own event id, short enough to store as a key. */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,200}$/, 'use 1-200 visible ASCII characters');
const IdempotencyHeader = z.object({ 'Idempotency-Key': IdempotencyKey });

/** `status` of a key whose first request is still running (the answer is stored once it finishes). */
const IN_PROGRESS = 0;
/** A claim older than this belongs to a request that died before answering; a retry may take it over. */
const STALE_CLAIM_MS = 60_000;

const DUPLICATE_KEY = 11000;
const isDuplicateKey = (error: unknown): boolean =>
  error instanceof MongoServerError && error.code === DUPLICATE_KEY;

export interface IdempotentRequest {
  principal: Principal;
  key: string;
  method: string;
  path: string;
  body: unknown;
}

/**
 * Runs `execute` at most once per (API key, Idempotency-Key, method, path) and replays its answer afterwards;
 * two callers that happen to pick the same Idempotency-Key never see each other's answers.
 * The first request claims the key with an insert (the unique `_id` decides races); its answer is
 * stored when it succeeds, and the claim is dropped when it fails, since a failed request changed nothing.
 * Same key with another body: 422 (as the IETF Idempotency-Key draft says); same key while the first
 * request is still running: 409.
 */
export async function runIdempotently(
  store: Collection<IdempotencyDoc>,
  request: IdempotentRequest,
  execute: () => Promise<Reply>,
): Promise<Reply> {
  const key = parseRequestPart(IdempotencyHeader, { 'Idempotency-Key': request.key }, 'header')[
    'Idempotency-Key'
  ];
  const { role, keyLabel } = request.principal;
  const id = hashRequest([role, keyLabel, key, request.method, request.path]);
  const requestHash = hashRequest(request.body ?? null);

  const existing = await claim(store, id, requestHash);
  if (existing) return replay(existing, requestHash);

  let reply: Reply;
  try {
    reply = await execute();
  } catch (error) {
    await store.deleteOne({ _id: id, status: IN_PROGRESS });
    throw error;
  }
  await store.updateOne(
    { _id: id },
    { $set: { status: reply.status, body: reply.body ?? null, headers: reply.headers ?? {} } },
  );
  return reply;
}

/** Inserts the claim; answers the existing record instead when the key was used before. */
async function claim(
  store: Collection<IdempotencyDoc>,
  id: string,
  requestHash: string,
): Promise<IdempotencyDoc | undefined> {
  const now = new Date().toISOString();
  try {
    await store.insertOne({
      _id: id,
      requestHash,
      status: IN_PROGRESS,
      body: null,
      headers: {},
      createdAt: now,
      expireAt: expiryFor('idempotency'),
    });
    return undefined;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  const existing = await store.findOne({ _id: id });
  if (!existing) return claim(store, id, requestHash);
  const stale = Date.parse(existing.createdAt) < Date.now() - STALE_CLAIM_MS;
  if (existing.status === IN_PROGRESS && stale && existing.requestHash === requestHash) {
    const taken = await store.updateOne(
      { _id: id, status: IN_PROGRESS, createdAt: existing.createdAt },
      { $set: { createdAt: now } },
    );
    if (taken.modifiedCount === 1) return undefined;
  }
  return existing;
}

function replay(existing: IdempotencyDoc, requestHash: string): Reply {
  if (existing.requestHash !== requestHash) {
    throw new AppError(
      422,
      'idempotency-key-reused',
      'Idempotency-Key reused with another body',
      'This Idempotency-Key was first used with a different request body.',
    );
  }
  if (existing.status === IN_PROGRESS) {
    throw new ConflictError(
      'A request with this Idempotency-Key is still being processed; retry shortly.',
      'idempotency-key-in-use',
    );
  }
  return {
    status: existing.status,
    body: existing.body,
    headers: { ...existing.headers, 'Idempotent-Replayed': 'true' },
  };
}
