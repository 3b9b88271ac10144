import { generateKeyPairSync } from 'node:crypto';
import { GantryError } from '@gantry/core';
import { githubAppTokens, githubProposals } from '@gantry/git';
import type { GitHubFake, TempDir } from '@gantry/testing';
import { createBareRepo, startGitHubFake, tempDir } from '@gantry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const APP = '424242';
const INSTALLATION = '77';
const keyPair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
const { publicKey, privateKey } = keyPair();

describe('GitHub App credentials against the GitHub fake', () => {
  let tmp: TempDir;
  let github: GitHubFake;
  let t = Date.parse('2026-01-01T12:00:00Z');
  const now = () => t;

  beforeEach(async () => {
    t = Date.parse('2026-01-01T12:00:00Z');
    tmp = await tempDir('gantry-github-app-');
    const bare = await createBareRepo(`${tmp.path}/config.git`, { 'README.md': 'config\n' });
    github = await startGitHubFake({ repositories: { 'acme/config': bare }, clock: () => new Date(t) });
    github.addApp({ id: APP, publicKey, installations: { [INSTALLATION]: 'acme' }, slug: 'gantry' });
  });
  afterEach(async () => {
    await github?.stop();
    await tmp?.[Symbol.asyncDispose]();
  });

  const provider = (key = privateKey) =>
    githubProposals({
      repository: 'acme/config',
      app: { appId: APP, installationId: INSTALLATION, privateKey: key },
      apiUrl: github.url,
      pollIntervalMs: 0,
      now,
    });

  it('GIVEN an App installation WHEN Gantry calls the API twice THEN one installation token is minted and reused, sent as the token', async () => {
    const p = provider();
    expect(await p.openFor('gantry/app/staging')).toBeUndefined();
    expect(await p.openFor('gantry/app/prod')).toBeUndefined();
    const minted = github.installationTokens();
    expect(minted).toHaveLength(1);
    const calls = github.requests().filter((r) => r.path === '/repos/acme/config/pulls');
    expect(calls).toHaveLength(2);
    for (const c of calls) {
      expect(c.status).toBe(200);
      expect(c.headers.authorization).toBe(`token ${minted[0]?.token}`);
    }
    const exchange = github.requests().find((r) => r.path.endsWith('/access_tokens'));
    expect(exchange?.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('GIVEN a minted token WHEN the clock nears its expiry THEN a new one is minted a few minutes before, and the old one is refused after', async () => {
    const p = provider();
    await p.openFor('a');
    const first = github.installationTokens()[0];
    t += 50 * 60_000; // 10 minutes left: still reused
    await p.openFor('a');
    expect(github.installationTokens()).toHaveLength(1);
    t += 6 * 60_000; // 4 minutes left: refreshed
    await p.openFor('a');
    const tokens = github.installationTokens();
    expect(tokens).toHaveLength(2);
    expect(tokens[1]?.token).not.toBe(first?.token);
    t += 5 * 60_000; // the first one expired on the fake
    const res = await fetch(`${github.url}/repos/acme/config/pulls`, {
      headers: { authorization: `token ${first?.token}` },
    });
    expect(res.status).toBe(401);
    await p.openFor('a');
    expect(github.installationTokens()).toHaveLength(2);
  });

  it('GIVEN a private key that is not the App key WHEN Gantry calls the API THEN the fake refuses the JWT and the call fails with proposal_unauthorized, no token in the message', async () => {
    const other = keyPair().privateKey;
    const err = await provider(other)
      .openFor('a')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GantryError);
    expect((err as GantryError).code).toBe('proposal_unauthorized');
    expect((err as GantryError).message).toContain(APP);
    expect((err as GantryError).message).not.toContain('PRIVATE KEY');
    expect(github.installationTokens()).toHaveLength(0);
    const exchange = github.requests().find((r) => r.path.endsWith('/access_tokens'));
    expect(exchange?.status).toBe(401);
  });

  it('GIVEN a JWT made more than ten minutes ago WHEN it is exchanged THEN the fake refuses it', async () => {
    const tokens = githubAppTokens({
      appId: APP,
      installationId: INSTALLATION,
      privateKey,
      apiUrl: github.url,
      now: () => t - 11 * 60_000,
    });
    await expect(tokens.token()).rejects.toMatchObject({ code: 'proposal_unauthorized' });
  });

  it('GIVEN an installation of another App WHEN a token is asked for THEN 404 becomes proposal_unauthorized naming the installation', async () => {
    const tokens = githubAppTokens({ appId: APP, installationId: '999', privateKey, apiUrl: github.url, now });
    const err = (await tokens.token().catch((e: unknown) => e)) as GantryError;
    expect(err.code).toBe('proposal_unauthorized');
    expect(err.message).toContain('installation 999');
  });
});
