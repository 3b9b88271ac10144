import { describe, expect, it } from 'vitest';
import { remoteConfigSchema } from './config.js';
import { credentialEnv, moveUrlCredentials, secretsOf, TOKEN_USERNAME } from './credentials.js';
import { backoff, fastImportStream } from './writer.js';

describe('credentials', () => {
  it('GIVEN basic credentials WHEN building the env THEN askpass reads them from variables, never argv', () => {
    expect(credentialEnv({ username: 'ada', password: 'pw' }, '/d/askpass.sh')).toEqual({
      GIT_ASKPASS: '/d/askpass.sh',
      GANTRY_GIT_USERNAME: 'ada',
      GANTRY_GIT_PASSWORD: 'pw',
    });
  });

  it('GIVEN a token WHEN building the env THEN it is the password of the token user', () => {
    expect(credentialEnv({ token: 't0k' }, '/a')).toMatchObject({
      GANTRY_GIT_USERNAME: TOKEN_USERNAME,
      GANTRY_GIT_PASSWORD: 't0k',
    });
    expect(secretsOf({ token: 't0k' })).toEqual(['t0k']);
  });

  it('GIVEN an SSH key with known hosts WHEN building the env THEN host keys are checked strictly', () => {
    const env = credentialEnv({ sshKey: '/keys/id ed', knownHosts: '/keys/known' }, '/a');
    expect(env.GIT_SSH_COMMAND).toBe(
      "ssh -i '/keys/id ed' -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile='/keys/known' -o StrictHostKeyChecking=yes",
    );
  });

  it('GIVEN an SSH key without known hosts WHEN building the env THEN new hosts are accepted', () => {
    expect(credentialEnv({ sshKey: '/k' }, '/a').GIT_SSH_COMMAND).toContain(
      '-o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=accept-new',
    );
  });

  it('GIVEN a URL with user:password WHEN configured THEN they move into credentials', () => {
    expect(moveUrlCredentials({ url: 'https://ada:p%40ss@host/r.git' })).toEqual({
      url: 'https://host/r.git',
      credentials: { username: 'ada', password: 'p@ss' },
    });
    expect(moveUrlCredentials({ url: 'https://u:p@host/r.git', credentials: { token: 't' } })).toEqual({
      url: 'https://host/r.git',
      credentials: { token: 't' },
    });
    expect(moveUrlCredentials({ url: 'file:///x' })).toEqual({ url: 'file:///x' });
  });
});

describe('remote config schema', () => {
  it('GIVEN a valid remote WHEN parsed THEN it passes', () => {
    expect(
      remoteConfigSchema.parse({ url: 'https://h/r.git', credentials: { token: 't' }, staleAfter: { ms: 500 } }),
    ).toEqual({
      url: 'https://h/r.git',
      credentials: { token: 't' },
      staleAfter: { ms: 500 },
    });
  });

  it('GIVEN mixed credential kinds or unknown keys WHEN parsed THEN it fails', () => {
    expect(remoteConfigSchema.safeParse({ url: 'u', credentials: { token: 't', password: 'p' } }).success).toBe(false);
    expect(remoteConfigSchema.safeParse({ url: 'u', brnach: 'main' }).success).toBe(false);
  });
});

describe('writer pieces', () => {
  it('GIVEN a chain of two commits WHEN streamed for fast-import THEN only the first names the base', () => {
    const who = { name: 'Ada', email: 'ada@example.com' };
    const commit = (files: Record<string, string>) => ({
      request: 0,
      files,
      author: who,
      message: 'm\n',
      seconds: 1_700_000_000,
      revision: {},
    });
    const stream = fastImportStream(
      'refs/gantry/write/x',
      'b'.repeat(40),
      [commit({ 'a.yaml': 'é\n' }), commit({ 'b.yaml': 'x' })],
      {
        name: 'Gantry',
        email: 'g@localhost',
      },
    );
    expect(stream).toBe(
      `commit refs/gantry/write/x\nmark :1\nauthor Ada <ada@example.com> 1700000000 +0000\ncommitter Gantry <g@localhost> 1700000000 +0000\ndata 2\nm\n\nfrom ${'b'.repeat(40)}\nM 100644 inline a.yaml\ndata 3\né\n\n\n` +
        'commit refs/gantry/write/x\nmark :2\nauthor Ada <ada@example.com> 1700000000 +0000\ncommitter Gantry <g@localhost> 1700000000 +0000\ndata 2\nm\n\nM 100644 inline b.yaml\ndata 1\nx\n\n',
    );
  });

  it('GIVEN attempts WHEN backing off THEN the delay grows, is jittered and capped', () => {
    expect(backoff(1, () => 0.5)).toBe(50);
    expect(backoff(3, () => 0.5)).toBe(200);
    expect(backoff(20, () => 0.5)).toBe(1000);
    expect(backoff(1, () => 0)).toBe(25);
    expect(backoff(1, () => 0.999)).toBeLessThanOrEqual(75);
  });
});
