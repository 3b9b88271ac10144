import { SourceError } from '@gantry/core';
import { z } from 'zod';
import type { RegistryAuth } from './config.js';
import type { BasicCredentials } from './docker-config.js';
import { loadDockerCredentials } from './docker-config.js';
import type { AuthChallenge } from './www-authenticate.js';

/** Sends one token request; the HTTP layer counts it and applies the timeout. */
export type TokenFetch = (url: URL, headers: Record<string, string>, signal?: AbortSignal) => Promise<Response>;

export interface AuthenticatorOptions {
  readonly auth: RegistryAuth | undefined;
  /** The registry's `host[:port]`, to find Docker config entries. */
  readonly registryHost: string;
  readonly fetchToken: TokenFetch;
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => number;
}

/**
 * Answers a registry's auth challenges and remembers what worked: after a `Basic`
 * challenge, basic credentials go with every request; after a `Bearer` challenge,
 * tokens are fetched from its realm per scope and cached until they expire, and a
 * new scope gets its token before its first request.
 */
export interface Authenticator {
  /** The `Authorization` value to send with a request for `scope`, if one is known. */
  authorization(scope: string | undefined, signal?: AbortSignal): Promise<string | undefined>;
  /** After a 401: the `Authorization` value to retry with, or `undefined` when nothing would help. */
  answer(
    challenges: readonly AuthChallenge[],
    scope: string | undefined,
    signal?: AbortSignal,
  ): Promise<string | undefined>;
}

const tokenResponseSchema = z
  .object({
    token: z.string().min(1).optional(),
    access_token: z.string().min(1).optional(),
    expires_in: z.number().positive().optional(),
    issued_at: z.string().optional(),
  })
  .refine((t) => t.token !== undefined || t.access_token !== undefined, 'no token in the response');

/** The Distribution token spec's default lifetime when the server does not say. */
const DEFAULT_TOKEN_LIFETIME_MS = 60_000;
/** Renew a little before expiry, so a token does not expire in flight. */
const EXPIRY_MARGIN_MS = 5_000;

const basicHeader = (c: BasicCredentials) =>
  `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;

export function createAuthenticator(o: AuthenticatorOptions): Authenticator {
  const now = o.now ?? Date.now;
  const auth = o.auth;
  let mode: 'unknown' | 'basic' | 'bearer' = 'unknown';
  let bearer: { realm: string; service?: string } | undefined;
  const tokens = new Map<string, { value: string; expiresAt: number }>();
  let credentials: Promise<BasicCredentials | undefined> | undefined;

  const basicCredentials = (): Promise<BasicCredentials | undefined> => {
    if (auth === undefined || 'token' in auth) return Promise.resolve(undefined);
    if ('username' in auth) return Promise.resolve(auth);
    credentials ??= loadDockerCredentials(o.registryHost, auth.dockerConfig, o.env);
    return credentials;
  };

  const fetchToken = async (scope: string | undefined, challengeScope: string | undefined, signal?: AbortSignal) => {
    if (!bearer) return undefined;
    let url: URL;
    try {
      url = new URL(bearer.realm);
    } catch {
      throw new SourceError('registry_error', `registry ${o.registryHost} sent an invalid token realm`, {
        host: o.registryHost,
      });
    }
    if (bearer.service) url.searchParams.set('service', bearer.service);
    // Ask for what the challenge names and for what this client's scope will need next
    // (a HEAD before a push is challenged for pull only).
    const wanted = new Set([...(challengeScope ?? '').split(' '), ...(scope ?? '').split(' ')].filter(Boolean));
    for (const s of wanted) url.searchParams.append('scope', s);
    const creds = await basicCredentials();
    if (creds) url.searchParams.set('account', creds.username);
    const res = await o.fetchToken(url, creds ? { authorization: basicHeader(creds) } : {}, signal);
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new SourceError(
        'registry_unauthorized',
        `token server ${url.origin}${url.pathname} refused ${creds ? `the credentials of "${creds.username}"` : 'anonymous access'} (HTTP ${res.status})`,
        { host: o.registryHost, status: res.status, realm: `${url.origin}${url.pathname}` },
      );
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new SourceError('registry_error', `token server ${url.origin}${url.pathname} answered HTTP ${res.status}`, {
        host: o.registryHost,
        status: res.status,
      });
    }
    const parsed = tokenResponseSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) {
      throw new SourceError('registry_error', `token server ${url.origin}${url.pathname} sent no usable token`, {
        host: o.registryHost,
      });
    }
    const issued = parsed.data.issued_at ? Date.parse(parsed.data.issued_at) : Number.NaN;
    const start = Number.isNaN(issued) ? now() : Math.min(issued, now());
    const lifetime = (parsed.data.expires_in ?? 0) * 1000 || DEFAULT_TOKEN_LIFETIME_MS;
    const value = `Bearer ${parsed.data.token ?? parsed.data.access_token}`;
    tokens.set(scope ?? '', { value, expiresAt: start + lifetime - EXPIRY_MARGIN_MS });
    return value;
  };

  return {
    async authorization(scope, signal) {
      if (auth !== undefined && 'token' in auth) return `Bearer ${auth.token}`;
      if (mode === 'basic') {
        const creds = await basicCredentials();
        return creds ? basicHeader(creds) : undefined;
      }
      if (mode === 'bearer') {
        const cached = tokens.get(scope ?? '');
        if (cached && cached.expiresAt > now()) return cached.value;
        return fetchToken(scope, undefined, signal);
      }
      return undefined;
    },
    async answer(challenges, scope, signal) {
      if (auth !== undefined && 'token' in auth) return undefined;
      const bearerChallenge = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
      if (bearerChallenge) {
        mode = 'bearer';
        bearer = { realm: bearerChallenge.params.realm as string, service: bearerChallenge.params.service };
        tokens.delete(scope ?? '');
        return fetchToken(scope, bearerChallenge.params.scope, signal);
      }
      if (challenges.some((c) => c.scheme === 'basic')) {
        const creds = await basicCredentials();
        if (!creds || mode === 'basic') return undefined;
        mode = 'basic';
        return basicHeader(creds);
      }
      return undefined;
    },
  };
}
