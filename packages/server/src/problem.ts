import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '@gantry/core';
import { GantryError, httpStatusOf, NotFoundError, ValidationError } from '@gantry/core';

/** RFC 9457 problem details: the one shape every API error takes. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly [extra: string]: unknown;
}

/** Hono's own refusals (a body its validator cannot read...) carry only a status: the code that answers with it. */
const CODE_OF_HONO_STATUS: Readonly<Record<number, ErrorCode>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

const honoCode = (e: HTTPException): ErrorCode => CODE_OF_HONO_STATUS[e.status] ?? 'invalid_request';

/**
 * The HTTP status of any error: a Gantry error's code decides through its category
 * (`HTTP_STATUS_OF_CATEGORY` in core, the one table); anything else is a bug, 500.
 */
export function statusOf(e: unknown): ContentfulStatusCode {
  if (e instanceof GantryError) return httpStatusOf(e.code);
  if (e instanceof HTTPException && e.status < 500) return httpStatusOf(honoCode(e));
  return 500;
}

/** `[{ path, message }]` as a validation hook puts it in an error's context, else undefined. */
function issueList(v: unknown): ReadonlyArray<{ path: string; message: string }> | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const ok = v.every(
    (i) => typeof i === 'object' && i !== null && typeof i.path === 'string' && typeof i.message === 'string',
  );
  return ok ? (v as Array<{ path: string; message: string }>) : undefined;
}

/** Turns any error into problem+json; internal errors keep their details in the log only. */
export function toProblem(e: unknown): Problem {
  const status = statusOf(e);
  if (e instanceof GantryError && e.category !== 'internal') {
    const known = e instanceof NotFoundError ? e.known : e.context.known;
    const knownList = Array.isArray(known) && known.every((k) => typeof k === 'string');
    // a refused request's fields (`invalid_request`, from a route's validation hook), as a definition's
    const issues = e instanceof ValidationError ? e.issues : issueList(e.context.issues);
    const extra = {
      ...(knownList ? { known } : {}),
      ...(!(e instanceof ValidationError) && typeof e.context.field === 'string' ? { field: e.context.field } : {}),
      ...(issues ? { issues } : {}),
    };
    return {
      type: `https://gantry.dev/problems/${e.code}`,
      title: e.code.replace(/_/g, ' '),
      status,
      code: e.code,
      detail: e.message,
      ...extra,
    };
  }
  if (e instanceof HTTPException && e.status < 500) {
    const code = honoCode(e);
    return {
      type: `https://gantry.dev/problems/${code}`,
      title: code.replace(/_/g, ' '),
      status,
      code,
      detail: e.message || code.replace(/_/g, ' '),
    };
  }
  return {
    type: 'https://gantry.dev/problems/internal',
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
