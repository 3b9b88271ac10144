import { describe, expect, it } from 'vitest';
import { createLinker, fill, forgeOf, imageParts, remoteParts } from './links.js';

describe('remote URLs', () => {
  it.each([
    ['https://github.com/acme/app.git', { host: 'github.com', path: 'acme/app' }],
    ['https://token@github.com/acme/app', { host: 'github.com', path: 'acme/app' }],
    ['git@github.com:acme/app.git', { host: 'github.com', path: 'acme/app' }],
    ['ssh://git@gitlab.example.com:2222/group/sub/app.git', { host: 'gitlab.example.com', path: 'group/sub/app' }],
  ])('GIVEN %s WHEN parsed THEN host and path are %o', (url, parts) => {
    expect(remoteParts(url)).toEqual(parts);
  });

  it('GIVEN a local path or file URL WHEN parsed THEN it is no remote with pages', () => {
    expect(remoteParts('./config.git')).toBeUndefined();
    expect(remoteParts('file:///srv/git/config.git')).toBeUndefined();
    expect(forgeOf('/srv/git/config.git')).toBeUndefined();
  });

  it('GIVEN GitHub and GitLab remotes in https and ssh forms WHEN the forge is asked THEN kind and web page follow', () => {
    expect(forgeOf('git@github.com:acme/app.git')).toEqual({
      kind: 'github',
      web: 'https://github.com/acme/app',
      path: 'acme/app',
    });
    expect(forgeOf('https://gitlab.com/group/sub/app.git')).toEqual({
      kind: 'gitlab',
      web: 'https://gitlab.com/group/sub/app',
      path: 'group/sub/app',
    });
    expect(forgeOf('https://git.example.com/acme/app')).toBeUndefined();
  });
});

describe('fill', () => {
  it('GIVEN a template WHEN a value is missing THEN there is no link rather than a broken one', () => {
    expect(fill('https://x/{repository}@{digest}', { repository: 'a/b', digest: 'sha256:ab' })).toBe(
      'https://x/a/b@sha256:ab',
    );
    expect(fill('https://x/{sha}', {})).toBeUndefined();
    expect(fill(undefined, { sha: 'a' })).toBeUndefined();
    expect(fill('https://x/{sha}', { sha: 'a b' })).toBe('https://x/a%20b');
  });
});

describe('createLinker', () => {
  const linker = createLinker({
    repositories: {
      config: { url: 'git@github.com:acme/config.git' },
      gl: { url: 'https://gitlab.example.com/ops/deploy.git' },
      own: { url: 'https://git.example.com/acme/config', links: { commit: 'https://git.example.com/c/{sha}' } },
      local: { url: './config.git' },
      app: { url: 'https://github.com/acme/app', links: { commit: 'https://mirror.example/{sha}' } },
    },
    registries: {
      ghcr: { url: 'https://ghcr.io', links: { image: 'https://github.com/acme/{repository}/pkgs?d={digest}' } },
      hub: { url: 'https://registry-1.docker.io', host: 'docker.io' },
      sandbox: { host: 'localhost:5000' },
    },
  });

  it('GIVEN config repositories WHEN a commit is linked THEN GitHub, GitLab and configured templates apply', () => {
    expect(linker.configCommit('config', 'abc123')).toBe('https://github.com/acme/config/commit/abc123');
    expect(linker.configCommit('gl', 'abc123')).toBe('https://gitlab.example.com/ops/deploy/-/commit/abc123');
    expect(linker.configCommit('own', 'abc123')).toBe('https://git.example.com/c/abc123');
    expect(linker.configCommit('local', 'abc123')).toBeUndefined();
    expect(linker.configCommit('unknown', 'abc123')).toBeUndefined();
  });

  it('GIVEN config repositories WHEN a proposal is linked THEN a pull or merge request page', () => {
    expect(linker.proposal('config', 7)).toBe('https://github.com/acme/config/pull/7');
    expect(linker.proposal('gl', '8')).toBe('https://gitlab.example.com/ops/deploy/-/merge_requests/8');
    expect(linker.proposal('own', 1)).toBeUndefined();
  });

  it('GIVEN a source repository named by URL or owner/name WHEN its commit is linked THEN on its host', () => {
    expect(linker.sourceCommit({ repository: 'https://github.com/acme/api.git' }, 'f00')).toBe(
      'https://github.com/acme/api/commit/f00',
    );
    expect(linker.sourceCommit({ repository: 'acme/api' }, 'f00')).toBe('https://github.com/acme/api/commit/f00');
    expect(
      linker.sourceCommit(
        { repository: 'group/api', ciRun: 'https://gitlab.example.com/group/api/-/pipelines/4' },
        'f00',
      ),
    ).toBe('https://gitlab.example.com/group/api/-/commit/f00');
    // configured as a repository too: its own template wins
    expect(linker.sourceCommit({ repository: 'git@github.com:acme/app.git' }, 'f00')).toBe(
      'https://mirror.example/f00',
    );
    expect(linker.sourceCommit({}, 'f00')).toBeUndefined();
  });

  it('GIVEN images WHEN linked THEN the registry template, or a known public registry, or nothing', () => {
    expect(imageParts('nginx')).toEqual({ host: 'docker.io', path: 'library/nginx' });
    expect(imageParts('localhost:5000/app')).toEqual({ host: 'localhost:5000', path: 'app' });
    expect(linker.image('ghcr.io/acme/app', { digest: 'sha256:ab' })).toBe(
      'https://github.com/acme/acme/app/pkgs?d=sha256:ab',
    );
    expect(linker.image('acme/app', { digest: 'sha256:ab' })).toBe('https://hub.docker.com/r/acme/app/tags');
    expect(linker.image('quay.io/acme/app', {})).toBe('https://quay.io/repository/acme/app?tab=tags');
    expect(linker.image('localhost:5000/app', { digest: 'sha256:ab' })).toBeUndefined();
  });
});
