import type { Request } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Role } from '../config';
import type { GatewayDeps } from './deps';

/** Who is calling: the role of their API key and a label that identifies the key without revealing it. */
export interface Principal {
  role: Role;
  keyLabel: string;
}

/** What a route handler answers; the pipeline turns it into the HTTP response (and may replay it). */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The validated request a handler works from. */
export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  principal: Principal;
  log: Logger;
  deps: GatewayDeps;
  req: Request;
}

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A documented response of a route. */
export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  headers?: Record<string, string>;
}

/** One operation of the API: how it is reached, who may call it, what it takes and what it answers. */
export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: HttpMethod;
  /** OpenAPI form, e.g. `/v1/orders/{orderId}`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  roles: readonly Role[];
  body?: B;
  /** The body may be left out entirely (it is then validated as `{}`). */
  bodyOptional?: boolean;
  query?: Q;
  params?: P;
  /** Accept an `Idempotency-Key` header and replay the first answer (contract: writes are idempotent). */
  idempotencyKey?: boolean;
  responses: Record<number, ResponseSpec>;
  handle(input: RouteInput<z.output<B>, z.output<Q>, z.output<P>>): Promise<Reply>;
}

/** A route with its types erased, as the app and the OpenAPI generator see it. */
export type Route = RouteSpec<z.ZodType, z.ZodType, z.ZodType>;

/** Declares a route; the generics make the handler see the parsed types of its own schemas. */
export function defineRoute<
  B extends z.ZodType = z.ZodType<undefined>,
  Q extends z.ZodType = z.ZodType<undefined>,
  P extends z.ZodType = z.ZodType<undefined>,
>(spec: RouteSpec<B, Q, P>): Route {
  return spec as unknown as Route;
}

/** `/v1/orders/{orderId}` → `/v1/orders/:orderId`. */
export const toExpressPath = (path: string): string => path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
