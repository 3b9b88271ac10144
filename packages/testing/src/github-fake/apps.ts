import type { KeyObject } from 'node:crypto';
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import type { FakeResponse, FakeUser } from './http.js';
import { DOCS, githubError } from './http.js';

/** A GitHub App as the fake knows it: its public key checks the App's JWTs. */
export interface FakeGitHubApp {
  readonly id: string;
  /** The public half of the App's key (PEM or a KeyObject). */
  readonly publicKey: string | KeyObject;
  /** Installation id -> the account it is installed on (tokens act as `<slug>[bot]` there). */
  readonly installations: Readonly<Record<string, string>>;
  /** The App's slug (`gantry`); its installation tokens act as `<slug>[bot]`. */
  readonly slug?: string;
}

/** One installation token the fake minted. */
export interface FakeInstallationToken {
  readonly token: string;
  readonly appId: string;
  readonly installationId: string;
  /** Milliseconds since the epoch, on the fake's clock. */
  readonly expiresAt: number;
}

/** Installation tokens live an hour, as on GitHub. */
const TOKEN_LIFETIME_MS = 60 * 60_000;
const DOCS_APP = `${DOCS}/apps/apps#create-an-installation-access-token-for-an-app`;

/**
 * GitHub Apps in the fake: `POST /app/installations/{id}/access_tokens` takes the App's JWT
 * (RS256, checked against its public key, `iat`/`exp` against the fake's clock, at most ten
 * minutes long) and mints an installation token that expires an hour later; expired tokens
 * answer 401 like any bad credential.
 */
export function fakeApps(clockMs: () => number, user: (login: string) => FakeUser) {
  const apps = new Map<string, { app: FakeGitHubApp; key: KeyObject }>();
  const tokens = new Map<string, FakeInstallationToken>();
  const minted: FakeInstallationToken[] = [];

  const checkJwt = (authorization: string | undefined): { appId: string } | FakeResponse => {
    const m = /^bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
    if (!m?.[1]) return githubError(401, 'A JSON web token could not be decoded', DOCS_APP);
    const [h, p, s] = m[1].split('.');
    if (!h || !p || !s) return githubError(401, 'A JSON web token could not be decoded', DOCS_APP);
    let header: { alg?: string };
    let payload: { iat?: number; exp?: number; iss?: string | number };
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
      payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    } catch {
      return githubError(401, 'A JSON web token could not be decoded', DOCS_APP);
    }
    const entry = apps.get(String(payload.iss ?? ''));
    if (header.alg !== 'RS256' || !entry)
      return githubError(401, "'Issuer' claim ('iss') must be an Integer", DOCS_APP);
    if (!verify('sha256', Buffer.from(`${h}.${p}`), entry.key, Buffer.from(s, 'base64url')))
      return githubError(401, 'A JSON web token could not be decoded', DOCS_APP);
    const now = Math.floor(clockMs() / 1000);
    if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number')
      return githubError(401, 'Missing iat or exp claim', DOCS_APP);
    if (payload.exp <= now)
      return githubError(
        401,
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
        DOCS_APP,
      );
    if (payload.iat > now + 60 || payload.exp - payload.iat > 600)
      return githubError(401, "'Expiration time' claim ('exp') is too far in the future", DOCS_APP);
    return { appId: entry.app.id };
  };

  return {
    addApp(app: FakeGitHubApp): void {
      apps.set(String(app.id), { app, key: createPublicKey(app.publicKey) });
    },
    /** The installation tokens minted so far, oldest first. */
    minted: (): readonly FakeInstallationToken[] => [...minted],
    /** The user an unexpired installation token acts as. */
    userOf(token: string): FakeUser | undefined {
      const t = tokens.get(token);
      if (!t || t.expiresAt <= clockMs()) return undefined;
      const entry = apps.get(t.appId);
      return user(`${entry?.app.slug ?? `app-${t.appId}`}[bot]`);
    },
    /** `POST /app/installations/{installation_id}/access_tokens`, or undefined for other paths. */
    handle(method: string, path: string, headers: Readonly<Record<string, string>>): FakeResponse | undefined {
      const m = /^\/app\/installations\/([^/]+)\/access_tokens$/.exec(path);
      if (!m?.[1] || method !== 'POST') return undefined;
      const who = checkJwt(headers.authorization);
      if ('status' in who) return who;
      const installationId = decodeURIComponent(m[1]);
      const app = apps.get(who.appId)?.app;
      const account = app?.installations[installationId];
      if (!account) return githubError(404, 'Not Found', DOCS_APP);
      const expiresAt = clockMs() + TOKEN_LIFETIME_MS;
      const t: FakeInstallationToken = {
        token: `ghs_${randomBytes(18).toString('base64url')}`,
        appId: who.appId,
        installationId,
        expiresAt,
      };
      tokens.set(t.token, t);
      minted.push(t);
      return {
        status: 201,
        body: {
          token: t.token,
          expires_at: `${new Date(expiresAt).toISOString().slice(0, 19)}Z`,
          permissions: { contents: 'write', pull_requests: 'write', statuses: 'read', checks: 'read' },
          repository_selection: 'all',
        },
      };
    },
  };
}
