import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Promotion } from '@gantry/store';
import { createBareRepo, hasPostgres, postgresSchema, tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import type { ServeProcess } from './serve-process.js';
import { serveProcess } from './serve-process.js';

const SERVICES = 10;
const RELEASES = 10;
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

const deployment = (i: number) => `# svc-${i} in production
apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-${i}
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/svc-${i}@${digest(0)}
`;

const config = () => `repositories:
  config: { url: ./config.git, branch: main, staleAfter: 0s }
server:
  schedules: []
pipelines:
${Array.from(
  { length: SERVICES },
  (_, i) => `  - name: svc-${i}
    resource: oci-image
    phases:
      - name: production
        queue: queue
        source: { type: git, repository: config, path: apps/svc-${i}/deployment.yaml, updater: { type: kubernetes-image, container: app } }`,
).join('\n')}
`;

const pgUp = await hasPostgres();

describe.skipIf(!pgUp)('replicas on PostgreSQL: every promotion exactly once, nothing lost when one dies', () => {
  it('GIVEN three gantry serve processes on one database WHEN 100 releases arrive and one replica is killed THEN each release lands exactly once and every record agrees with Git', async () => {
    await using tmp = await tempDir('gantry-replicas-');
    await using db = await postgresSchema();
    const bare = join(tmp.path, 'config.git');
    await createBareRepo(
      bare,
      Object.fromEntries(Array.from({ length: SERVICES }, (_, i) => [`apps/svc-${i}/deployment.yaml`, deployment(i)])),
    );
    await writeFile(join(tmp.path, 'gantry.yaml'), config());

    const replicas: ServeProcess[] = [];
    for (let r = 0; r < 3; r++) {
      replicas.push(
        await serveProcess(tmp.path, { GANTRY_DATABASE_URL: db.url, GANTRY_DATA_DIR: join(tmp.path, `data-${r}`) }),
      );
    }
    try {
      const ids: string[] = [];
      let n = 0;
      for (let k = 1; k <= RELEASES; k++) {
        for (let i = 0; i < SERVICES; i++) {
          n++;
          // after 30 triggers, replica 0 dies mid-work; later triggers go to the survivors
          if (n === 31) {
            replicas[0]?.child.kill('SIGKILL');
            await replicas[0]?.exited;
          }
          const target = replicas[n <= 30 ? n % 3 : 1 + (n % 2)] as ServeProcess;
          const r = await fetch(`${target.url}/api/v1/pipelines/svc-${i}/phases/production/promotions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              target: { kind: 'oci-image', repository: `registry.example.com/svc-${i}`, digest: digest(k * 100 + i) },
            }),
          }).catch((e: unknown) => {
            // say which replica and what it printed: a crash and a dropped connection look alike from here
            throw new Error(`trigger ${n} to ${target.url} failed: ${String(e)}\n${target.output().slice(-4000)}`, {
              cause: e,
            });
          });
          expect(r.status, await r.clone().text()).toBe(202);
          ids.push(((await r.json()) as { promotion: Promotion }).promotion.id);
        }
      }
      const survivor = replicas[1] as ServeProcess;
      const settled = new Map<string, Promotion>();
      for (let tries = 0; settled.size < ids.length; tries++) {
        if (tries > 600) {
          const states = await Promise.all(
            ids
              .filter((id) => !settled.has(id))
              .map(
                async (id) =>
                  ((await (await fetch(`${survivor.url}/api/v1/promotions/${id}`)).json()) as Promotion).state,
              ),
          );
          throw new Error(`only ${settled.size}/${ids.length} settled; others: ${states.join(', ')}`);
        }
        for (const id of ids) {
          if (settled.has(id)) continue;
          const p = (await (await fetch(`${survivor.url}/api/v1/promotions/${id}`)).json()) as Promotion;
          if (['succeeded', 'failed', 'superseded'].includes(p.state)) settled.set(id, p);
        }
        if (settled.size < ids.length) await new Promise((r) => setTimeout(r, 200));
      }

      const log = execFileSync('git', ['log', '--format=%(trailers:key=Gantry-Promotion-Id,valueonly)', 'main'], {
        cwd: bare,
        encoding: 'utf8',
      })
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const counts = new Map<string, number>();
      for (const id of log) counts.set(id, (counts.get(id) ?? 0) + 1);

      const states = [...settled.values()].map((p) => p.state);
      const succeeded = [...settled.values()].filter((p) => p.state === 'succeeded');
      // every commit in Git belongs to a promotion recorded as succeeded, exactly once
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      for (const p of settled.values()) expect(counts.get(p.id) ?? 0).toBe(p.state === 'succeeded' ? 1 : 0);
      // what the dead replica held was retried by the survivors: every release landed
      const failed = [...settled.values()].filter((p) => p.state === 'failed');
      expect(failed.map((p) => p.error)).toEqual([]);
      expect(succeeded.length).toBe(ids.length);
      expect(states.filter((s) => s === 'superseded')).toHaveLength(0);
      // the last release of each service is what its file holds
      for (let i = 0; i < SERVICES; i++) {
        const file = execFileSync('git', ['show', `main:apps/svc-${i}/deployment.yaml`], {
          cwd: bare,
          encoding: 'utf8',
        });
        expect(file).toContain(digest(RELEASES * 100 + i));
      }
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
    }
  }, 240_000);
});
