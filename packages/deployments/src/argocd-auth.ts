import { createHash, timingSafeEqual } from 'node:crypto';

/*
 * Argo CD Notifications never signs a webhook. Its webhook service can send fixed headers, with
 * values taken from argocd-notifications-secret (`$gantry-token`), so Gantry asks for the shared
 * secret in a header: `X-Gantry-Token: <secret>`, or `Authorization: Bearer <secret>`. A Flux
 * `generic` Provider (no HMAC) can send the same header from its Secret's `headers` key.
 */

export const ARGOCD_TOKEN_HEADER = 'X-Gantry-Token';

export type TokenCheck =
  | { readonly ok: true; readonly via: 'x-gantry-token' | 'authorization' }
  | { readonly ok: false; readonly reason: 'missing' | 'mismatch' | 'no-secret'; readonly message: string };

/**
 * Checks the secret header of an Argo CD notification in constant time (both sides are hashed
 * first, so not even the secret's length leaks). `header` looks a request header up by its
 * lower-case name. When both headers are present, `X-Gantry-Token` is the one checked.
 */
export function verifyTokenHeader(header: (name: string) => string | undefined, secret: string): TokenCheck {
  if (secret.length === 0)
    return { ok: false, reason: 'no-secret', message: 'no secret is configured for Argo CD webhooks' };
  const token = header('x-gantry-token');
  if (token !== undefined) {
    return sameSecret(token.trim(), secret)
      ? { ok: true, via: 'x-gantry-token' }
      : { ok: false, reason: 'mismatch', message: `${ARGOCD_TOKEN_HEADER} does not match the configured secret` };
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header('authorization') ?? '')?.[1];
  if (bearer !== undefined) {
    return sameSecret(bearer, secret)
      ? { ok: true, via: 'authorization' }
      : { ok: false, reason: 'mismatch', message: 'the bearer token does not match the configured secret' };
  }
  return {
    ok: false,
    reason: 'missing',
    message: `neither ${ARGOCD_TOKEN_HEADER} nor Authorization: Bearer is present`,
  };
}

function sameSecret(given: string, secret: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

/** Argo CD Notifications authenticates with the secret header: {@link verifyTokenHeader}. */
export const verifyArgoCdToken = verifyTokenHeader;
