import { createHmac, timingSafeEqual } from 'node:crypto';

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const bearer = (header: (name: string) => string | undefined) =>
  /^Bearer\s+(\S+)$/i.exec(header('authorization') ?? '')?.[1];

/**
 * Whether the request carries any signature at all: without one it is refused before its
 * body is read.
 */
export function hasSignature(header: (name: string) => string | undefined): boolean {
  return (
    header('x-gantry-signature-256') !== undefined ||
    header('x-hub-signature-256') !== undefined ||
    header('x-gitlab-token') !== undefined ||
    bearer(header) !== undefined
  );
}

/**
 * Checks a webhook against the shared secret, in whichever way its sender signs:
 * `X-Hub-Signature-256: sha256=<hmac>` (GitHub, and Gantry's own generic webhooks as
 * `X-Gantry-Signature-256`), `X-Gitlab-Token: <secret>` (GitLab sends the token itself),
 * or `Authorization: Bearer <secret>` (docker-registry's static notification headers).
 * The HMAC is over the raw bytes as received, before anything parses them.
 */
export function verifySignature(
  secret: string,
  rawBody: Uint8Array | string,
  header: (name: string) => string | undefined,
): boolean {
  const hmac = header('x-gantry-signature-256') ?? header('x-hub-signature-256');
  if (hmac !== undefined) {
    const expected = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
    return equal(hmac, expected);
  }
  const token = header('x-gitlab-token') ?? bearer(header);
  return token !== undefined && equal(token, secret);
}

/** What a sender puts in `X-Gantry-Signature-256` for `body`. */
export function signBody(secret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
