import { readFile, writeFile } from 'node:fs/promises';
import type { GantryError } from '@gantry/core';
import { gitFile } from '@gantry/git';
import type { SshServer, TempDir } from '@gantry/testing';
import {
  SSHD_BINARY,
  createBareRepo,
  createSshKey,
  hasTool,
  knownHostsLine,
  readBareFile,
  startSshServer,
  tempDir,
} from '@gantry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployment, digest, image, imageLine } from './line-updater.js';
import { recordingLogger, request, rig } from './rig.js';

const PATH = 'env/staging/deployment.yaml';
const source = gitFile({ repository: 'config', path: PATH, updater: imageLine });

describe.skipIf(!hasTool('git') || !hasTool('ssh') || !hasTool(SSHD_BINARY))('git remotes: SSH key', () => {
  let tmp: TempDir;
  let server: SshServer;
  let bare: string;
  let allowed: ReturnType<typeof createSshKey>;
  let stranger: ReturnType<typeof createSshKey>;
  beforeEach(async () => {
    tmp = await tempDir('gantry-git-ssh-');
    bare = `${tmp.path}/srv/config.git`;
    await createBareRepo(bare, { [PATH]: deployment('staging', 1) });
    allowed = createSshKey(tmp.path, 'allowed');
    stranger = createSshKey(tmp.path, 'stranger');
    server = await startSshServer(tmp.path, [allowed.publicKey]);
  });
  afterEach(async () => {
    await server.stop();
    await tmp.remove();
  });

  it('GIVEN an authorized key and the host in known_hosts WHEN read and written THEN both go over SSH, and the key stays out of the logs', async () => {
    const logger = recordingLogger();
    const { repos, ctx } = rig(
      `${tmp.path}/data`,
      {
        config: {
          url: `${server.url}${bare}`,
          credentials: { sshKey: allowed.privateKey, knownHosts: server.knownHosts },
        },
      },
      {},
      logger,
    );
    try {
      expect((await source.read(ctx)).resource).toEqual(image(1));
      const result = await source.write(request(2), ctx);
      expect(result.kind).toBe('written');
      expect(await readBareFile(bare, 'main', PATH)).toContain(digest(2));
      const key = (await readFile(allowed.privateKey, 'utf8')).split('\n')[1] as string;
      expect(logger.lines.join('\n')).not.toContain(key);
    } finally {
      await repos.close();
    }
  });

  it('GIVEN no known_hosts WHEN read THEN the first host key is accepted for this command only', async () => {
    const { repos, ctx } = rig(`${tmp.path}/data`, {
      config: { url: `${server.url}${bare}`, credentials: { sshKey: allowed.privateKey } },
    });
    try {
      expect((await source.read(ctx)).resource).toEqual(image(1));
    } finally {
      await repos.close();
    }
  });

  it('GIVEN a key the server does not know WHEN read THEN git_auth_failed names the URL, not the key', async () => {
    const { repos, ctx } = rig(`${tmp.path}/data`, {
      config: {
        url: `${server.url}${bare}`,
        credentials: { sshKey: stranger.privateKey, knownHosts: server.knownHosts },
      },
    });
    try {
      const error = (await source.read(ctx).catch((e: unknown) => e)) as GantryError;
      expect(error.code).toBe('git_auth_failed');
      // messages name the remote without its user, as for HTTPS
      expect(error.message).toContain(`${server.url.replace(/\/\/[^@]+@/, '//')}${bare}`);
      const key = (await readFile(stranger.privateKey, 'utf8')).split('\n')[1] as string;
      expect(`${error.message}${JSON.stringify(error.context)}`).not.toContain(key);
    } finally {
      await repos.close();
    }
  });

  it('GIVEN known_hosts that names another host key WHEN read THEN the connection is refused before any key is offered', async () => {
    const other = createSshKey(tmp.path, 'impostor');
    const port = new URL(server.url).port;
    const knownHosts = `${tmp.path}/other_known_hosts`;
    await writeFile(knownHosts, knownHostsLine(port, other.publicKey));
    const { repos, ctx } = rig(`${tmp.path}/data`, {
      config: { url: `${server.url}${bare}`, credentials: { sshKey: allowed.privateKey, knownHosts } },
    });
    try {
      const error = (await source.read(ctx).catch((e: unknown) => e)) as GantryError;
      expect(error.code).toBe('git_unreachable');
      expect(error.message).toMatch(/host key/i);
    } finally {
      await repos.close();
    }
  });
});
