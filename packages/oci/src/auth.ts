import { SourceError } from '@gantry/core';
import { z } from 'zod';
import type { RegistryAuth } from './config.js';
import type { BasicCredentials } from './docker-config.js';
import { loadDockerCredentials } from './docker-config.js';
import type { AuthChallenge } from './www-authenticate.js';
import type { RegistryResponse } from './registry-response.js';

/** Sends one token request; the HTTP layer counts it and applies the timeout. */
export type TokenFetch = (url: URL, headers: Record<string, string>, signal?: AbortSignal) => Promise<RegistryResponse>;

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
 * challenge, basic credentials go with every request; a `Bearer` challenge is
 * remembered for the scope (repository) that received it, and its token is fetched from
 * its realm and cached per scope until it expires.
 *
 * One repository's challenge is only a hint for another's: a scope never challenged
 * gets a token from the last realm seen before its first request (saving a round
 * trip), but if that fails the request goes without one and the repository's own answer
 * (its own challenge, a 404, or success when it is public) decides. So a token server
 * refusing one repository never becomes another repository's error.
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

/** Where a bearer challenge sends the client for tokens. */
interface BearerChallenge {
  readonly realm: string;
  readonly service?: string;
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
  let basic = false;
  /** Each scope's own bearer challenge: its token comes from there. */
  const challenged = new Map<string, BearerChallenge>();
  /** The last bearer challenge of any scope: a hint for scopes not challenged yet. */
  let hint: BearerChallenge | undefined;
  const tokens = new Map<string, { value: string; expiresAt: number }>();
  let credentials: Promise<BasicCredentials | undefined> | undefined;

  const basicCredentials = (): Promise<BasicCredentials | undefined> => {
    if (auth === undefined || 'token' in auth) return Promise.resolve(undefined);
    if ('username' in auth) return Promise.resolve(auth);
    credentials ??= loadDockerCredentials(o.registryHost, auth.dockerConfig, o.env);
    return credentials;
  };

  const fetchToken = async (
    challenge: BearerChallenge,
    scope: string,
    challengeScope: string | undefined,
    signal?: AbortSignal,
  ): Promise<string> => {
    let url: URL;
    try {
      url = new URL(challenge.realm);
    } catch {
      throw new SourceError('registry_error', `registry ${o.registryHost} sent an invalid token realm`, {
        host: o.registryHost,
        scope,
      });
    }
    if (challenge.service) url.searchParams.set('service', challenge.service);
    // Ask for what the challenge names and for what this client's scope will need next
    // (a HEAD before a push is challenged for pull only).
    const wanted = new Set([...(challengeScope ?? '').split(' '), ...scope.split(' ')].filter(Boolean));
    for (const s of wanted) url.searchParams.append('scope', s);
    const creds = await basicCredentials();
    if (creds) url.searchParams.set('account', creds.username);
    const realm = `${url.origin}${url.pathname}`;
    const res = await o.fetchToken(url, creds ? { authorization: basicHeader(creds) } : {}, signal);
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new SourceError(
        'registry_unauthorized',
        `token server ${realm} refused ${creds ? `the credentials of "${creds.username}"` : 'anonymous access'} for ${scope} (HTTP ${res.status})`,
        { host: o.registryHost, status: res.status, realm, scope },
      );
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new SourceError('registry_error', `token server ${realm} answered HTTP ${res.status} for ${scope}`, {
        host: o.registryHost,
        status: res.status,
        scope,
      });
    }
    const parsed = tokenResponseSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) {
      throw new SourceError('registry_error', `token server ${realm} sent no usable token for ${scope}`, {
        host: o.registryHost,
        scope,
      });
    }
    const issued = parsed.data.issued_at ? Date.parse(parsed.data.issued_at) : Number.NaN;
    const start = Number.isNaN(issued) ? now() : Math.min(issued, now());
    const lifetime = (parsed.data.expires_in ?? 0) * 1000 || DEFAULT_TOKEN_LIFETIME_MS;
    const value = `Bearer ${parsed.data.token ?? parsed.data.access_token}`;
    tokens.set(scope, { value, expiresAt: start + lifetime - EXPIRY_MARGIN_MS });
    return value;
  };

  return {
    async authorization(scope, signal) {
      if (auth !== undefined && 'token' in auth) return `Bearer ${auth.token}`;
      if (basic) {
        const creds = await basicCredentials();
        return creds ? basicHeader(creds) : undefined;
      }
      if (scope === undefined) return undefined;
      const cached = tokens.get(scope);
      if (cached && cached.expiresAt > now()) return cached.value;
      const own = challenged.get(scope);
      // this scope's own realm failing is this scope's error
      if (own) return fetchToken(own, scope, undefined, signal);
      if (!hint) return undefined;
      try {
        return await fetchToken(hint, scope, undefined, signal);
      } catch (e) {
        if (signal?.aborted) throw e;
        // another scope's realm: go without, and let this scope's own answer decide
        return undefined;
      }
    },
    async answer(challenges, scope, signal) {
      if (auth !== undefined && 'token' in auth) return undefined;
      const bearerChallenge = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
      if (bearerChallenge && scope !== undefined) {
        const challenge: BearerChallenge = {
          realm: bearerChallenge.params.realm as string,
          ...(bearerChallenge.params.service ? { service: bearerChallenge.params.service } : {}),
        };
        challenged.set(scope, challenge);
        hint = challenge;
        tokens.delete(scope);
        return fetchToken(challenge, scope, bearerChallenge.params.scope, signal);
      }
      if (challenges.some((c) => c.scheme === 'basic')) {
        const creds = await basicCredentials();
        if (!creds || basic) return undefined;
        basic = true;
        return basicHeader(creds);
      }
      return undefined;
    },
  };
}
