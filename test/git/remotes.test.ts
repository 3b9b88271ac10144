import { readdir, readFile } from 'node:fs/promises';
import { GIT_HTTP_BACKEND, createBareRepo, hasTool, readBareFile, startGitHttpServer, tempDir } from '@gantry/testing';
import type { TempDir } from '@gantry/testing';
import type { GantryError } from '@gantry/core';
import { gitFile } from '@gantry/git';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployment, digest, image, imageLine } from './line-updater.js';
import { recordingLogger, request, rig } from './rig.js';

const PATH = 'env/staging/deployment.yaml';
const SECRET = 's3cr3t-p4ssw0rd';
const source = gitFile({ repository: 'config', path: PATH, updater: imageLine });

/** Everything an error carries that a user or a log could see. */
const visible = (e: GantryError): string => `${e.message}\n${JSON.stringify(e.context)}\n${String(e.stack)}`;

describe.skipIf(!hasTool('git'))('git remotes: unreachable', () => {
  let tmp: TempDir;
  beforeEach(async () => {
    tmp = await tempDir('gantry-git-remote-');
  });
  afterEach(() => tmp.remove());

  it('GIVEN a URL to a path that does not exist WHEN read THEN git_unreachable names the URL', async () => {
    const url = `file://${tmp.path}/nowhere.git`;
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url } });

    const error = (await source.read(ctx).catch((e: unknown) => e)) as GantryError;

    expect(error.code).toBe('git_unreachable');
    expect(error.message).toContain(url);
    await repos.close();
  });
});

describe.skipIf(!hasTool('git') || !hasTool(GIT_HTTP_BACKEND))('git remotes: smart HTTP', () => {
  let tmp: TempDir;
  let root: string;
  beforeEach(async () => {
    tmp = await tempDir('gantry-git-http-');
    root = `${tmp.path}/srv`;
    await createBareRepo(`${root}/config.git`, { [PATH]: deployment('staging', 1) });
  });
  afterEach(() => tmp.remove());

  it('GIVEN basic auth with the right password WHEN read and written THEN both work over HTTP', async () => {
    const server = await startGitHttpServer({ root, auth: { username: 'gantry', password: SECRET } });
    const url = `${server.url}/config.git`;
    const logger = recordingLogger();
    const { repos, ctx } = rig(
      `${tmp.path}/data`,
      { config: { url, credentials: { username: 'gantry', password: SECRET } } },
      {},
      logger,
    );
    try {
      expect((await source.read(ctx)).resource).toEqual(image(1));
      const result = await source.write(request(2), ctx);
      expect(result.kind).toBe('written');
      expect(await readBareFile(`${root}/config.git`, 'main', PATH)).toContain(digest(2));
      expect(logger.lines.some((l) => l.includes('git push'))).toBe(true);
      expect(logger.lines.join('\n')).not.toContain(SECRET);
    } finally {
      await repos.close();
      await server.stop();
    }
  });

  it('GIVEN a token WHEN read THEN it is sent as the password of the token user', async () => {
    const server = await startGitHttpServer({ root, auth: { username: 'x-access-token', password: SECRET } });
    const { repos, ctx } = rig(`${tmp.path}/data`, {
      config: { url: `${server.url}/config.git`, credentials: { token: SECRET } },
    });
    try {
      expect((await source.read(ctx)).resource).toEqual(image(1));
    } finally {
      await repos.close();
      await server.stop();
    }
  });

  it('GIVEN a wrong password WHEN read THEN git_auth_failed, and the password is in no error text', async () => {
    const server = await startGitHttpServer({ root, auth: { username: 'gantry', password: 'the-right-one' } });
    const { repos, ctx } = rig(`${tmp.path}/data`, {
      config: { url: `${server.url}/config.git`, credentials: { username: 'gantry', password: SECRET } },
    });
    try {
      const error = (await source.read(ctx).catch((e: unknown) => e)) as GantryError;
      expect(error.code).toBe('git_auth_failed');
      expect(error.message).toContain(`${server.url}/config.git`);
      expect(visible(error)).not.toContain(SECRET);
    } finally {
      await repos.close();
      await server.stop();
    }
  });

  it('GIVEN credentials written into the URL WHEN read THEN they work through askpass and stay out of the clone and errors', async () => {
    const server = await startGitHttpServer({ root, auth: { username: 'gantry', password: SECRET } });
    const host = server.url.replace('http://', '');
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url: `http://gantry:${SECRET}@${host}/config.git` } });
    const wrong = rig(`${tmp.path}/data-wrong`, { config: { url: `http://gantry:not-${SECRET}@${host}/config.git` } });
    try {
      expect((await source.read(ctx)).resource).toEqual(image(1));
      const [clone] = await readdir(`${tmp.path}/data/git`).then((d) => d.filter((n) => n.startsWith('config-')));
      expect(await readFile(`${tmp.path}/data/git/${clone}/config`, 'utf8')).not.toContain(SECRET);
      const error = (await source.read(wrong.ctx).catch((e: unknown) => e)) as GantryError;
      expect(error.code).toBe('git_auth_failed');
      expect(visible(error)).not.toContain(SECRET);
    } finally {
      await repos.close();
      await wrong.repos.close();
      await server.stop();
    }
  });

  it('GIVEN the HTTP server has stopped WHEN read THEN git_unreachable names the URL', async () => {
    const server = await startGitHttpServer({ root });
    await server.stop();
    const url = `${server.url}/config.git`;
    const { repos, ctx } = rig(`${tmp.path}/data`, { config: { url } });

    const error = (await source.read(ctx).catch((e: unknown) => e)) as GantryError;

    expect(error.code).toBe('git_unreachable');
    expect(error.message).toContain(url);
    await repos.close();
  });
});
