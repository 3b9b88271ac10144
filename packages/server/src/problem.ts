import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { GantryError, NotFoundError, ValidationError } from '@gantry/core';

/** RFC 9457 problem details: the one shape every API error takes. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly [extra: string]: unknown;
}

const STATUS_BY_CODE: Readonly<Record<string, ContentfulStatusCode>> = {
  invalid_request: 400,
  invalid_definition: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unknown_promotion: 404,
  phase_not_writable: 409,
  promotion_blocked: 409,
  illegal_transition: 409,
  registry_unreachable: 502,
  git_unreachable: 502,
  not_ready: 503,
};

export function statusOf(e: unknown): ContentfulStatusCode {
  if (e instanceof HTTPException) return e.status as ContentfulStatusCode;
  if (e instanceof NotFoundError) return 404;
  if (e instanceof ValidationError) return 400;
  if (e instanceof GantryError) return STATUS_BY_CODE[e.code] ?? 500;
  return 500;
}

/** Turns any error into problem+json; internal errors keep their details in the log only. */
export function toProblem(e: unknown): Problem {
  const status = statusOf(e);
  if (e instanceof GantryError) {
    const extra =
      e instanceof NotFoundError ? { known: e.known } : e instanceof ValidationError ? { issues: e.issues } : {};
    return {
      type: `https://gantry.dev/problems/${e.code}`,
      title: e.code.replace(/_/g, ' '),
      status,
      code: e.code,
      detail: e.message,
      ...extra,
    };
  }
  if (e instanceof HTTPException && status < 500) {
    // hono's own 4xx, e.g. a body that is not JSON
    return {
      type: 'https://gantry.dev/problems/invalid_request',
      title: 'invalid request',
      status,
      code: 'invalid_request',
      detail: e.message,
    };
  }
  return {
    type: 'about:blank',
    title: 'internal error',
    status: 500,
    code: 'internal',
    detail: 'internal error; see the server log',
  };
}

export function problemResponse(c: Context, e: unknown): Response {
  const p = toProblem(e);
  return c.body(JSON.stringify(p), p.status as ContentfulStatusCode, { 'content-type': 'application/problem+json' });
}

/** A 4xx the API itself raises (bad token, forbidden role, bad body). */
export class ApiError extends GantryError {
  constructor(
    code: 'unauthorized' | 'forbidden' | 'invalid_request' | 'not_found' | 'not_ready',
    message: string,
    context: Record<string, unknown> = {},
  ) {
    super(code, message, context);
  }
}
