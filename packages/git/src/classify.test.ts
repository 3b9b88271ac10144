import { describe, expect, it } from 'vitest';
import { classifyFailure, gitFailure, isRetryableRejection } from './classify.js';
import { displayUrl, scrubSecrets } from './scrub.js';

describe('credential scrubbing', () => {
  it('GIVEN stderr with user:password in a URL WHEN scrubbed THEN the user info is masked', () => {
    const text = "fatal: unable to access 'https://ada:hunter22@git.example.com/config.git/': 403";
    expect(scrubSecrets(text)).toBe("fatal: unable to access 'https://***@git.example.com/config.git/': 403");
  });

  it('GIVEN a known secret anywhere WHEN scrubbed THEN it is masked', () => {
    expect(scrubSecrets('token ghp_abc123 rejected', ['ghp_abc123'])).toBe('token *** rejected');
  });

  it('GIVEN a URL with credentials WHEN displayed THEN they are dropped', () => {
    expect(displayUrl('https://x-access-token:t0k@host/r.git')).toBe('https://host/r.git');
    expect(displayUrl('ssh://git@host/r.git')).toBe('ssh://host/r.git');
  });
});

describe('push rejections', () => {
  it.each([
    ' ! [rejected]        abc -> main (fetch first)',
    ' ! [rejected]        abc -> main (non-fast-forward)',
    '!\tabc:refs/heads/main\t[rejected] (stale info)',
    '!\tabc:refs/heads/main\t[remote rejected] (failed to update ref)',
    " ! [remote rejected] main (cannot lock ref 'refs/heads/main': is at 1 but expected 2)",
  ])('GIVEN "%s" WHEN judged THEN the push is retried after a fetch', (line) => {
    expect(isRetryableRejection(line)).toBe(true);
  });

  it('GIVEN a hook refusal WHEN judged THEN retrying would not help', () => {
    expect(isRetryableRejection(' ! [remote rejected] main (pre-receive hook declined)')).toBe(false);
  });
});

describe('git failures', () => {
  it.each([
    ["fatal: '/tmp/nowhere.git' does not appear to be a git repository", 'unreachable'],
    [
      "fatal: unable to access 'http://127.0.0.1:9/x.git/': Failed to connect to 127.0.0.1 port 9: Connection refused",
      'unreachable',
    ],
    ["fatal: Authentication failed for 'http://127.0.0.1:8080/config.git/'", 'auth'],
    ['git@host: Permission denied (publickey).', 'auth'],
    ['error: object file is empty', 'other'],
  ])('GIVEN stderr "%s" WHEN classified THEN it is %s', (stderr, kind) => {
    expect(classifyFailure(stderr)).toBe(kind);
  });

  it('GIVEN an auth failure WHEN turned into an error THEN code, URL and command are set', () => {
    const e = gitFailure({
      repository: 'config',
      url: 'https://host/config.git',
      command: 'fetch',
      stderr: "fatal: Authentication failed for 'https://host/config.git/'",
    });
    expect(e.code).toBe('git_auth_failed');
    expect(e.message).toContain('https://host/config.git');
    expect(e.context).toMatchObject({ repository: 'config', command: 'git fetch' });
  });

  it('GIVEN an unknown failure WHEN turned into an error THEN git_failed names the git command', () => {
    const e = gitFailure({ repository: 'config', url: 'u', command: 'fast-import', stderr: 'fatal: corrupt\n' });
    expect(e.code).toBe('git_failed');
    expect(e.message).toContain('git fast-import failed');
  });
});
