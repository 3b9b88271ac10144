import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { helmRepositorySource } from '@gantry/helm';
import type { TestHelmRepository } from '@gantry/testing';
import { freePort, hasTool, startHelmRepository } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { contextWith, day, manualClock, rejection } from './helpers.js';

const source = (chart = 'app') => helmRepositorySource({ registry: 'charts', chart });
const indexRequests = (repo: TestHelmRepository) => repo.requests().filter((r) => r.path === '/charts/index.yaml');

describe.skipIf(!hasTool('tar'))('reading index.yaml: caching and coalescing', () => {
  it('GIVEN many phases reading one repository at once WHEN a status runs THEN index.yaml is fetched once', async () => {
    const repo = await startHelmRepository();
    try {
      await repo.publish({ name: 'app', version: '1.0.0', created: day(1) });
      await repo.publish({ name: 'web', version: '2.0.0', created: day(1) });
      const { ctx } = contextWith({ charts: { url: repo.url } }, manualClock().now);
      // WHEN twenty phases of two charts read together
      const reads = await Promise.all(
        Array.from({ length: 20 }, (_, i) => source(i % 2 === 0 ? 'app' : 'web').read(ctx)),
      );
      // THEN each got its chart, from one request
      expect(reads.map((r) => r.resource?.version)).toEqual(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? '2.0.0' : '1.0.0')),
      );
      expect(indexRequests(repo)).toHaveLength(1);
      // AND a read right after (the same status, a phase read later) asks nothing
      await source().read(ctx);
      expect(indexRequests(repo)).toHaveLength(1);
    } finally {
      await repo.stop();
    }
  });

  it('GIVEN an index read before WHEN read again after staleAfter THEN it is revalidated with If-None-Match and a 304 keeps it', async () => {
    const repo = await startHelmRepository();
    try {
      await repo.publish({ name: 'app', version: '1.0.0', created: day(1) });
      const clock = manualClock();
      const { ctx } = contextWith({ charts: { url: repo.url, staleAfter: { ms: 2000 } } }, clock.now);
      const first = await source().read(ctx);
      clock.advance(2500);
      // WHEN read again, the index unchanged
      const second = await source().read(ctx);
      // THEN the same answer, from a conditional request the server answered 304
      expect(second).toEqual(first);
      const [a, b] = indexRequests(repo);
      expect(a).toMatchObject({ status: 200 });
      expect(a?.ifNoneMatch).toBeUndefined();
      expect(b).toMatchObject({ status: 304, ifNoneMatch: expect.any(String), ifModifiedSince: expect.any(String) });
      expect(indexRequests(repo)).toHaveLength(2);

      // WHEN a new version is published and the index looked at again
      await repo.publish({ name: 'app', version: '1.1.0', created: day(2) });
      clock.advance(2500);
      const third = await source().read(ctx);
      // THEN the server sends the new index (200) and the new version is read
      expect(third.resource?.version).toBe('1.1.0');
      expect(indexRequests(repo).at(-1)).toMatchObject({ status: 200, ifNoneMatch: b?.ifNoneMatch });
    } finally {
      await repo.stop();
    }
  });

  it('GIVEN a fresh index WHEN a webhook says the repository changed THEN the next read asks at once', async () => {
    const repo = await startHelmRepository();
    try {
      await repo.publish({ name: 'app', version: '1.0.0', created: day(1) });
      const { ctx, repositories } = contextWith({ charts: { url: repo.url } }, manualClock().now);
      await source().read(ctx);
      await repo.publish({ name: 'app', version: '1.0.1', created: day(2) });
      expect((await source().read(ctx)).resource?.version).toBe('1.0.0');
      // WHEN
      repositories.changed('charts');
      // THEN no waiting for staleAfter
      expect((await source().read(ctx)).resource?.version).toBe('1.0.1');
      expect(indexRequests(repo).map((r) => r.status)).toEqual([200, 200]);
    } finally {
      await repo.stop();
    }
  });
});

describe.skipIf(!hasTool('tar'))('basic auth', () => {
  const auth = { username: 'ci', password: 's3cret-Pa55' };

  it('GIVEN a repository behind basic auth WHEN read with its credentials THEN the chart is read, every request authenticated', async () => {
    const repo = await startHelmRepository({ auth });
    try {
      await repo.publish({ name: 'app', version: '1.0.0', created: day(1) });
      const { ctx } = contextWith({ charts: { url: repo.url, auth } });
      expect((await source().read(ctx)).resource?.version).toBe('1.0.0');
      expect(repo.requests().map((r) => [r.authorization, r.status])).toEqual([[true, 200]]);
    } finally {
      await repo.stop();
    }
  });

  it('GIVEN no or wrong credentials WHEN read THEN registry_unauthorized naming the URL, never the password', async () => {
    const repo = await startHelmRepository({ auth });
    try {
      const none = await rejection(source().read(contextWith({ charts: { url: repo.url } }).ctx));
      expect(none.code).toBe('registry_unauthorized');
      expect(none.message).toBe(
        `Helm repository charts refused access to ${repo.url}/index.yaml (HTTP 401, no credentials configured)`,
      );
      const wrong = await rejection(
        source().read(contextWith({ charts: { url: repo.url, auth: { ...auth, password: 'not-it-Pa55' } } }).ctx),
      );
      expect(wrong.code).toBe('registry_unauthorized');
      expect(wrong.message).toContain('after authenticating');
      expect(`${wrong.message} ${JSON.stringify(wrong.context)}`).not.toContain('Pa55');
    } finally {
      await repo.stop();
    }
  });
});

describe('a repository that fails', () => {
  it('GIVEN a server that accepts and never answers WHEN read THEN registry_timeout naming the index URL', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/charts`;
      const e = await rejection(source().read(contextWith({ charts: { url, timeout: { ms: 300 } } }).ctx));
      expect(e.code).toBe('registry_timeout');
      expect(e.message).toBe(`Helm repository charts is unreachable at ${url}/index.yaml: timed out after 300 ms`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('GIVEN nothing listening WHEN read THEN registry_unreachable naming the index URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const e = await rejection(source().read(contextWith({ charts: { url } }).ctx));
    expect(e.code).toBe('registry_unreachable');
    expect(e.message).toMatch(
      new RegExp(`^Helm repository charts is unreachable at ${url}/index\\.yaml: ECONNREFUSED`),
    );
  });

  it.skipIf(!hasTool('tar'))(
    'GIVEN a URL with no index.yaml, or an index that is not one WHEN read THEN an error saying which',
    async () => {
      const repo = await startHelmRepository();
      try {
        const missing = await rejection(source().read(contextWith({ charts: { url: `${repo.url}/nested` } }).ctx));
        expect(missing.code).toBe('registry_error');
        expect(missing.message).toContain(`HTTP 404 for ${repo.url}/nested/index.yaml`);
        await repo.writeIndex('<html><body>Welcome to nginx!</body></html>\n');
        const broken = await rejection(source().read(contextWith({ charts: { url: repo.url } }).ctx));
        expect(broken.code).toBe('invalid_chart_index');
        expect(broken.message).toMatch(new RegExp(`^${repo.url}/index\\.yaml is not a Helm repository index`));
      } finally {
        await repo.stop();
      }
    },
  );
});
