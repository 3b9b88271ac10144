import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRegistryClient, ociImageSource } from '@gantry/oci';
import type { TestRegistry } from '@gantry/testing';
import { hasTool, pushTestImage, startRegistry, tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextWith, rejection } from './helpers.js';
import { startRegistryProxy } from './registry-proxy.js';

describe.skipIf(!hasTool('docker-registry'))('registry auth against a real docker-registry', () => {
  describe.skipIf(!hasTool('perl'))('basic (htpasswd)', () => {
    let registry: TestRegistry;
    let pushed: string;
    beforeAll(async () => {
      registry = await startRegistry({ auth: 'basic' });
      pushed = await pushTestImage(registry.url, 'team/app', 'latest', {
        username: registry.username,
        password: registry.password,
      });
    });
    afterAll(() => registry?.stop());

    it('GIVEN the right username and password WHEN a tag is resolved THEN the pushed digest comes back', async () => {
      const client = createRegistryClient({
        url: registry.url,
        auth: { username: registry.username as string, password: registry.password as string },
      });
      expect(await client.resolve('team/app', 'latest')).toBe(pushed);
      expect(await client.tags('team/app')).toEqual(['latest']);
    });

    it('GIVEN a wrong password WHEN a tag is resolved THEN registry_unauthorized, with no password in the error', async () => {
      const wrong = 'not-the-password-42';
      const client = createRegistryClient({ url: registry.url, auth: { username: 'gantry', password: wrong } });
      const e = await rejection(client.resolve('team/app', 'latest'));
      expect(e.code).toBe('registry_unauthorized');
      expect(`${e.message} ${JSON.stringify(e.context)}`).not.toContain(wrong);
    });

    it('GIVEN no credentials WHEN a tag is resolved THEN registry_unauthorized says none were configured', async () => {
      const e = await rejection(createRegistryClient({ url: registry.url }).resolve('team/app', 'latest'));
      expect(e.code).toBe('registry_unauthorized');
      expect(e.message).toContain('no credentials configured');
    });

    it('GIVEN credentials in a Docker config.json WHEN the registry is configured with dockerConfig THEN they are used', async () => {
      await using dir = await tempDir();
      await mkdir(join(dir.path, 'docker'));
      const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
      await writeFile(
        join(dir.path, 'docker', 'config.json'),
        JSON.stringify({ auths: { [`http://${registry.host}`]: { auth } } }),
      );
      const viaPath = createRegistryClient({ url: registry.url, auth: { dockerConfig: join(dir.path, 'docker') } });
      expect(await viaPath.resolve('team/app', 'latest')).toBe(pushed);
      const viaEnv = createRegistryClient(
        { url: registry.url, auth: {} },
        { env: { DOCKER_CONFIG: join(dir.path, 'docker') } },
      );
      expect(await viaEnv.resolve('team/app', 'latest')).toBe(pushed);
    });
  });

  describe.skipIf(!hasTool('openssl'))(
    'bearer token (registry auth.token, token server signing ES256 JWTs with an x5c chain)',
    () => {
      let registry: TestRegistry;
      beforeAll(async () => {
        registry = await startRegistry({ auth: 'token' });
      });
      afterAll(() => registry?.stop());

      it('GIVEN a token-auth registry WHEN pushing then reading THEN tokens are fetched once per scope and cached', async () => {
        const creds = { username: registry.username as string, password: registry.password as string };
        const pushed = await pushTestImage(registry.url, 'team/app', '1.0.0', creds);
        const before = registry.tokensIssued?.() ?? 0;
        const { ctx, registries } = contextWith({ reg: { url: registry.url, auth: creds } });
        const source = ociImageSource({
          registry: 'reg',
          repository: 'team/app',
          select: { by: 'semver', range: '^1' },
        });
        const first = await source.read(ctx);
        expect(first.resource).toEqual({
          kind: 'oci-image',
          repository: `${registry.host}/team/app`,
          digest: pushed,
          tag: '1.0.0',
        });
        const afterFirst = registries.stats().requests;
        await source.read(ctx);
        // one token for the pull scope, however many reads; a warm read is tags + HEAD only
        expect((registry.tokensIssued?.() ?? 0) - before).toBe(1);
        expect(registries.stats().requests - afterFirst).toBe(2);
      });

      it('GIVEN no credentials WHEN reading from the token-auth registry THEN registry_unauthorized', async () => {
        const e = await rejection(createRegistryClient({ url: registry.url }).tags('team/app'));
        expect(e.code).toBe('registry_unauthorized');
      });

      describe('one host, repositories that differ in auth (a public mirror beside token-protected ones)', () => {
        let open: TestRegistry;
        let proxy: { url: string; stop(): Promise<void> };
        let mirrored: string;
        beforeAll(async () => {
          const creds = { username: registry.username as string, password: registry.password as string };
          await pushTestImage(registry.url, 'team/app', '2.0.0', creds);
          open = await startRegistry();
          mirrored = await pushTestImage(open.url, 'mirror/app', 'latest');
          proxy = await startRegistryProxy(registry.url, { routes: [{ prefix: 'mirror/', upstream: open.url }] });
        });
        afterAll(async () => {
          await proxy?.stop();
          await open?.stop();
        });

        it("GIVEN one repository's token refused WHEN other repositories are read THEN each reports its own answer, not that token error", async () => {
          const client = createRegistryClient({ url: proxy.url, auth: { username: 'gantry', password: 'wrong-1' } });
          const refused = await rejection(client.resolve('team/app', '2.0.0'));
          expect(refused).toMatchObject({ code: 'registry_unauthorized' });
          expect(refused.message).toContain('repository:team/app:pull');
          // the public repository answers for itself: there, and missing
          expect(await client.resolve('mirror/app', 'latest')).toBe(mirrored);
          expect(await rejection(client.resolve('mirror/missing', 'latest'))).toMatchObject({
            code: 'manifest_not_found',
          });
          // and the protected one still reports its own refusal
          expect(await rejection(client.tags('team/app'))).toMatchObject({ code: 'registry_unauthorized' });
        });

        it('GIVEN the right credentials WHEN both kinds of repository are read THEN both answer', async () => {
          const client = createRegistryClient({
            url: proxy.url,
            auth: { username: registry.username as string, password: registry.password as string },
          });
          expect(await client.tags('team/app')).toContain('2.0.0');
          expect(await client.resolve('mirror/app', 'latest')).toBe(mirrored);
          expect(await rejection(client.resolve('team/missing', '1.0.0'))).toMatchObject({
            code: 'manifest_not_found',
          });
        });
      });

      it('GIVEN wrong credentials for the token server WHEN reading THEN registry_unauthorized without the password', async () => {
        const wrong = 'definitely-wrong-9';
        const client = createRegistryClient({ url: registry.url, auth: { username: 'gantry', password: wrong } });
        const e = await rejection(client.resolve('team/app', '1.0.0'));
        expect(e.code).toBe('registry_unauthorized');
        expect(`${e.message} ${JSON.stringify(e.context)}`).not.toContain(wrong);
      });
    },
  );
});
