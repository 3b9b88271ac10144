import { GantryError } from '@gantry/core';

/** A request body longer than the route's limit (413); nothing past the limit was read. */
export class PayloadTooLargeError extends GantryError {
  constructor(limit: number, route: 'api' | 'webhook') {
    super(
      'payload_too_large',
      `request body is larger than the ${route === 'webhook' ? 'webhook' : 'API'} limit of ${limit} bytes` +
        (route === 'webhook' ? ' (server.webhooks.maxBodyBytes in gantry.yaml)' : ''),
      { limit },
    );
  }
}

/**
 * A mutating request that a cross-site page could have sent (415): no JSON content type and
 * no header a browser would only send after a CORS preflight.
 */
export class UnsupportedMediaTypeError extends GantryError {
  constructor(method: string, contentType: string | undefined) {
    super(
      'unsupported_media_type',
      `${method} needs Content-Type: application/json or the header X-Gantry-Request: 1` +
        ` (got ${contentType ? `Content-Type: ${contentType}` : 'no Content-Type'})`,
      { contentType: contentType ?? null },
    );
  }
}

/** A mutating request whose `Origin` is not the server's own (403). */
export class CrossOriginRefusedError extends GantryError {
  constructor(origin: string, host: string) {
    super('cross_origin_refused', `cross-origin request refused: Origin ${origin} is not this server (${host})`, {
      origin,
      host,
    });
  }
}

/** A request naming a host an open (tokenless) server does not answer to: DNS rebinding (403). */
export class HostNotAllowedError extends GantryError {
  constructor(host: string) {
    super(
      'host_not_allowed',
      `Host "${host}" refused: a server without API tokens answers only to 127.0.0.1, [::1] and localhost` +
        ' (create a token with gantry token create to serve other names)',
      { host },
    );
  }
}

/** The refusals above: answered with `Connection: close`, so an unread body is never drained. */
export type HttpGuardError =
  | PayloadTooLargeError
  | UnsupportedMediaTypeError
  | CrossOriginRefusedError
  | HostNotAllowedError;

export const isHttpGuardError = (e: unknown): e is HttpGuardError =>
  e instanceof PayloadTooLargeError ||
  e instanceof UnsupportedMediaTypeError ||
  e instanceof CrossOriginRefusedError ||
  e instanceof HostNotAllowedError;
