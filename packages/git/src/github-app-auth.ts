import { createPrivateKey, sign } from 'node:crypto';
import { GantryError } from '@gantry/core';

/** A GitHub App installed on the repository's account: Gantry acts as the installation. */
export interface GitHubAppCredentials {
  /** The App's id (its settings page, "App ID"). */
  readonly appId: string;
  /** The installation's id on the account that owns the repository. */
  readonly installationId: string;
  /** The App's private key (PEM, PKCS#1 as GitHub downloads it, or PKCS#8). */
  readonly privateKey: string;
}

export interface GitHubAppTokenOptions extends GitHubAppCredentials {
  /** `https://api.github.com` or `https://<host>/api/v3`. */
  readonly apiUrl: string;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  /** Mint a new installation token this long before the current one expires (5 min). */
  readonly refreshBeforeMs?: number;
}

/** Installation tokens for one App installation: minted on first use, reused, refreshed before they expire. */
export interface GitHubAppTokens {
  token(): Promise<string>;
  /** Forgets the cached token (GitHub refused it: revoked or the installation changed). */
  invalidate(): void;
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/**
 * The App's JSON Web Token as GitHub documents it: RS256, `iat` a minute in the past (clock
 * drift), `exp` ten minutes on, `iss` the App id. It only authenticates as the App, to mint
 * installation tokens.
 */
export function githubAppJwt(appId: string, privateKey: string, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000) - 60;
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ iat, exp: iat + 600, iss: appId }));
  const key = createPrivateKey(privateKey);
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key);
  return `${header}.${payload}.${b64url(signature)}`;
}

/**
 * Installation tokens through `POST /app/installations/{id}/access_tokens`. One request in flight
 * at a time (concurrent callers share it); the token and the key never appear in errors.
 */
export function githubAppTokens(o: GitHubAppTokenOptions): GitHubAppTokens {
  const now = o.now ?? Date.now;
  const doFetch = o.fetch ?? fetch;
  const refreshBefore = o.refreshBeforeMs ?? 5 * 60_000;
  const base = o.apiUrl.replace(/\/+$/, '');
  let cached: { token: string; expiresAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  const mint = async (): Promise<string> => {
    let jwt: string;
    try {
      jwt = githubAppJwt(o.appId, o.privateKey, now());
    } catch (e) {
      throw new GantryError(
        'proposal_unauthorized',
        `the private key of GitHub App ${o.appId} cannot sign: ${e instanceof Error ? e.message.split('\n')[0] : 'unreadable'}`,
        { appId: o.appId },
      );
    }
    const res = await doFetch(`${base}/app/installations/${encodeURIComponent(o.installationId)}/access_tokens`, {
      method: 'POST',
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${jwt}`,
        'user-agent': 'Gantry-Proposals/1',
        'x-github-api-version': '2022-11-28',
      },
    });
    const data = (await res.json().catch(() => ({}))) as { token?: string; expires_at?: string; message?: string };
    const context = { appId: o.appId, installationId: o.installationId, status: res.status };
    if (res.status === 401 || res.status === 403 || res.status === 404)
      throw new GantryError(
        'proposal_unauthorized',
        `GitHub refused GitHub App ${o.appId} for installation ${o.installationId} (${res.status} ${data.message ?? ''}): ${res.status === 404 ? 'the installation does not exist or belongs to another App' : 'the App id or private key is wrong, or the App is suspended'}`,
        context,
      );
    if (!res.ok || !data.token || !data.expires_at)
      throw new GantryError(
        'proposal_failed',
        `GitHub answered ${res.status} (${data.message ?? 'error'}) to minting an installation token of App ${o.appId}`,
        context,
      );
    cached = { token: data.token, expiresAt: Date.parse(data.expires_at) };
    return data.token;
  };

  return {
    async token() {
      if (cached && cached.expiresAt - refreshBefore > now()) return cached.token;
      inFlight ??= mint().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
