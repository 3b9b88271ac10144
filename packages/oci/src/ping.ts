import { SourceError, silentLogger } from '@gantry/core';
import type { RemoteRegistryConfig } from './config.js';
import { DEFAULT_TIMEOUT } from './config.js';
import type { BasicCredentials } from './docker-config.js';
import { loadDockerCredentials } from './docker-config.js';
import type { HttpOptions } from './http.js';
import { displayUrl, send } from './http.js';
import { createRequestBudget, DEFAULT_LIMITS, systemClock } from './budget.js';
import { DEFAULT_RETRY } from './retry.js';
import { parseWwwAuthenticate } from './www-authenticate.js';
import type { RegistryResponse } from './registry-response.js';

/** How a registry let Gantry in at `/v2/`. */
export type RegistryAccess = 'anonymous' | 'basic' | 'bearer' | 'token';

export interface RegistryPing {
  /** `https://host/v2/` */
  readonly url: string;
  readonly access: RegistryAccess;
  /** The account the credentials name, when they name one. */
  readonly username?: string;
}

export interface PingRegistryOptions {
  /** The configured name, for messages; default: the host. */
  readonly name?: string;
  /** Where `DOCKER_CONFIG` is read; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

const basicHeader = (c: BasicCredentials) =>
  `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;

/**
 * The Distribution API's version check (`GET /v2/`) with the configured credentials, as
 * `docker login` does it: anonymous first; on a `Basic` challenge the credentials; on a `Bearer`
 * challenge a token from the realm for the account (no repository scope). Proves the registry is
 * reachable and its credentials accepted; throws `registry_unreachable`, `registry_timeout`,
 * `registry_unauthorized` or `registry_error`.
 */
export async function pingRegistry(
  config: RemoteRegistryConfig,
  options: PingRegistryOptions = {},
): Promise<RegistryPing> {
  const base = new URL(config.url.endsWith('/') ? config.url : `${config.url}/`);
  const name = options.name ?? base.host;
  const url = new URL('v2/', base);
  const http: HttpOptions = {
    registry: name,
    timeout: config.timeout ?? DEFAULT_TIMEOUT,
    counter: { requests: 0 },
    logger: silentLogger,
    // one check, a few requests: the default budget and retries, as a read would get them
    budget: createRequestBudget({ ...DEFAULT_LIMITS, ...config.limits }, systemClock),
    clock: systemClock,
    retry: DEFAULT_RETRY,
  };
  const auth = config.auth;
  const credentials = async (): Promise<BasicCredentials | undefined> => {
    if (auth === undefined || 'token' in auth) return undefined;
    if ('username' in auth) return auth;
    return loadDockerCredentials(base.host, auth.dockerConfig, options.env ?? process.env);
  };
  const refused = (status: number, detail: string, username?: string): SourceError =>
    new SourceError(
      'registry_unauthorized',
      `registry ${name} refused ${username ? `the credentials of "${username}"` : 'anonymous access'}: ${detail}`,
      {
        registry: name,
        url: displayUrl(url),
        status,
      },
    );
  const ok = (access: RegistryAccess, username?: string): RegistryPing => ({
    url: displayUrl(url),
    access,
    ...(username !== undefined ? { username } : {}),
  });
  const answered = async (res: RegistryResponse, access: RegistryAccess, username?: string): Promise<RegistryPing> => {
    await res.body?.cancel();
    if (res.ok) return ok(access, username);
    if (res.status === 401 || res.status === 403)
      throw refused(res.status, `HTTP ${res.status} at ${displayUrl(url)}`, username);
    throw new SourceError('registry_error', `registry ${name} answered HTTP ${res.status} at ${displayUrl(url)}`, {
      registry: name,
      url: displayUrl(url),
      status: res.status,
    });
  };

  if (auth !== undefined && 'token' in auth) {
    return answered(await send(http, url, { headers: { authorization: `Bearer ${auth.token}` } }), 'token');
  }
  const first = await send(http, url, {});
  if (first.status !== 401) return answered(first, 'anonymous');
  await first.body?.cancel();
  const creds = await credentials();
  const challenges = parseWwwAuthenticate(first.headers.get('www-authenticate') ?? '');
  const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
  if (bearer) {
    const realm = new URL(bearer.params.realm as string);
    if (bearer.params.service) realm.searchParams.set('service', bearer.params.service);
    if (creds) realm.searchParams.set('account', creds.username);
    const tokenRes = await send(http, realm, creds ? { headers: { authorization: basicHeader(creds) } } : {});
    if (!tokenRes.ok) {
      await tokenRes.body?.cancel();
      if (tokenRes.status === 401 || tokenRes.status === 403) {
        throw refused(
          tokenRes.status,
          `its token server ${displayUrl(realm)} answered HTTP ${tokenRes.status}`,
          creds?.username,
        );
      }
      throw new SourceError(
        'registry_error',
        `token server ${displayUrl(realm)} of registry ${name} answered HTTP ${tokenRes.status}`,
        {
          registry: name,
          status: tokenRes.status,
        },
      );
    }
    const body = (await tokenRes.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown };
    const token = typeof body.token === 'string' ? body.token : body.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new SourceError('registry_error', `token server ${displayUrl(realm)} of registry ${name} sent no token`, {
        registry: name,
      });
    }
    return answered(
      await send(http, url, { headers: { authorization: `Bearer ${token}` } }),
      'bearer',
      creds?.username,
    );
  }
  if (!creds) throw refused(401, `HTTP 401 at ${displayUrl(url)} and no credentials configured`);
  return answered(await send(http, url, { headers: { authorization: basicHeader(creds) } }), 'basic', creds.username);
}
