import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestRegistry } from '@gantry/testing';
import { freePort, hasPostgres, hasTool, postgresSchema, startRegistry, tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry, json } from './run-cli.js';

interface Check {
  check: string;
  subject?: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
  code?: string;
}
interface Report {
  ok: boolean;
  checks: Check[];
}

const pgUp = await hasPostgres();

describe.skipIf(!hasTool('docker-registry') || !hasTool('perl') || !hasTool('openssl'))(
  'gantry doctor against a real sandbox, registries and databases',
  () => {
    let root: Awaited<ReturnType<typeof tempDir>>;
    let dir: string;
    let sandboxYaml: string;
    let basic: TestRegistry;
    let bearer: TestRegistry;
    let deadPort: number;
    let n = 0;

    beforeAll(async () => {
      root = await tempDir('gantry-doctor-');
      dir = join(root.path, 'sandbox');
      const init = await gantry(['sandbox', 'init', dir, '--yaml'], root.path);
      expect(init.code, init.stderr).toBe(0);
      sandboxYaml = await readFile(join(dir, 'gantry.yaml'), 'utf8');
      [basic, bearer, deadPort] = await Promise.all([
        startRegistry({ auth: 'basic' }),
        startRegistry({ auth: 'token' }),
        freePort(),
      ]);
    });
    afterAll(async () => {
      await Promise.all([basic?.stop(), bearer?.stop()]);
      await root?.remove();
    });

    /** The sandbox's gantry.yaml with `extra` appended (top-level keys), as a file of its own. */
    async function variant(extra: string, base = sandboxYaml): Promise<string> {
      n += 1;
      const file = join(dir, `doctor-${n}.yaml`);
      await writeFile(file, `${base}\n${extra}`);
      return file;
    }
    const doctor = async (file: string, env: NodeJS.ProcessEnv = {}) => {
      const r = await gantry(['doctor', '--json', '--config', file], dir, env);
      return { r, report: json<Report>(r) };
    };
    const find = (report: Report, check: string, subject?: string) => {
      const c = report.checks.find((x) => x.check === check && x.subject === subject);
      if (!c) throw new Error(`no ${check} ${subject ?? ''} in ${JSON.stringify(report.checks, null, 2)}`);
      return c;
    };

    it('GIVEN the sandbox WHEN gantry doctor THEN every check passes and it exits 0', async () => {
      const r = await gantry(['doctor'], dir);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      for (const name of [
        'node',
        'git',
        'config',
        'data directory',
        'repository config',
        'registry sandbox',
        'database',
        'webhooks',
      ])
        expect(r.stdout).toMatch(new RegExp(`^ok\\s+${name}\\s`, 'm'));
      expect(r.stdout).toMatch(/8 checks: 8 ok, 0 warning\(s\), 0 failed/);
      const { report } = await doctor(join(dir, 'gantry.yaml'));
      expect(report.ok).toBe(true);
      expect(find(report, 'git').detail).toMatch(/^git \d+\.\d+/);
      expect(find(report, 'database').detail).toMatch(/^SQLite .*gantry\.db: 0 API token\(s\)$/);
    });

    it('GIVEN registries with good and bad credentials and a dead port WHEN gantry doctor THEN each is judged, and it exits 2', async () => {
      const file = await variant(
        [
          'registries:',
          `  good-basic: { url: "${basic.url}", auth: { username: "${basic.username}", password: "${basic.password}" } }`,
          `  bad-basic: { url: "${basic.url}", auth: { username: "${basic.username}", password: "wrong" } }`,
          `  anonymous-basic: { url: "${basic.url}" }`,
          `  good-bearer: { url: "${bearer.url}", auth: { username: "${bearer.username}", password: "${bearer.password}" } }`,
          `  bad-bearer: { url: "${bearer.url}", auth: { username: "${bearer.username}", password: "wrong" } }`,
          `  dead: { url: "http://127.0.0.1:${deadPort}", timeout: 5s }`,
          `  sandbox: { layout: ./registry, host: localhost:5000 }`,
        ].join('\n'),
        sandboxYaml.replace(/^registries:\n(?: {2}.*\n)+/m, ''),
      );
      const { r, report } = await doctor(file);
      expect(r.code, r.stderr).toBe(2);
      expect(report.ok).toBe(false);
      expect(find(report, 'registry', 'good-basic')).toMatchObject({
        status: 'ok',
        detail: expect.stringContaining('basic as'),
      });
      expect(find(report, 'registry', 'good-bearer')).toMatchObject({
        status: 'ok',
        detail: expect.stringContaining('bearer as'),
      });
      for (const name of ['bad-basic', 'bad-bearer', 'anonymous-basic']) {
        const c = find(report, 'registry', name);
        expect(c, name).toMatchObject({ status: 'fail', code: 'registry_unauthorized' });
        expect(c.fix).toContain(`registries.${name}.auth`);
      }
      expect(find(report, 'registry', 'dead')).toMatchObject({ status: 'fail', code: 'registry_unreachable' });
      expect(find(report, 'registry', 'dead').detail).toContain(`127.0.0.1:${deadPort}`);
      // a password never reaches the output
      expect(r.stdout).not.toContain(basic.password);
      const text = await gantry(['doctor', '--config', file], dir);
      expect(text.code).toBe(2);
      expect(text.stdout).toMatch(/^fail\s+registry dead\s+registry dead is unreachable/m);
      expect(text.stdout).toMatch(/fix: check registries\.dead\.url/);
    });

    it('GIVEN a repository nobody answers for WHEN gantry doctor THEN git_unreachable with what to check', async () => {
      const file = await variant(
        `repositories:\n  config: { url: ./config.git }\n  gone: { url: "http://127.0.0.1:${deadPort}/config.git" }\n`,
        sandboxYaml.replace(/^repositories:\n(?: {2}.*\n)+/m, ''),
      );
      const { r, report } = await doctor(file);
      expect(r.code).toBe(2);
      expect(find(report, 'repository', 'config').status).toBe('ok');
      expect(find(report, 'repository', 'gone')).toMatchObject({ status: 'fail', code: 'git_unreachable' });
      expect(find(report, 'repository', 'gone').fix).toContain('repositories.gone.url');
    });

    it('GIVEN a PATH without git WHEN gantry doctor THEN git fails with how to install it, repositories are not asked, exit 2', async () => {
      const bin = join(root.path, 'empty-bin');
      await mkdir(bin, { recursive: true });
      const { r, report } = await doctor(join(dir, 'gantry.yaml'), { PATH: bin });
      expect(r.code).toBe(2);
      expect(find(report, 'git')).toMatchObject({ status: 'fail', code: 'git_not_found' });
      expect(find(report, 'git').fix).toContain('install git');
      expect(find(report, 'repository', 'config')).toMatchObject({
        status: 'fail',
        detail: expect.stringContaining('not checked'),
      });
      // what does not need git is still checked
      expect(find(report, 'config').status).toBe('ok');
      expect(find(report, 'database').status).toBe('ok');
      expect(r.stderr).not.toMatch(/ENOENT|\n\s+at /);
    });

    it('GIVEN an invalid configuration WHEN gantry doctor THEN config fails with the problem and the rest that needs it is not run', async () => {
      const file = await variant('unknownSetting: 1\n');
      const { r, report } = await doctor(file);
      expect(r.code).toBe(2);
      expect(find(report, 'config')).toMatchObject({ status: 'fail', code: 'invalid_definition' });
      expect(find(report, 'config').detail).toContain('unknown field "unknownSetting"');
      expect(report.checks.map((c) => c.check)).toEqual(['node', 'git', 'config']);
    });

    it('GIVEN a data directory that is a file WHEN gantry doctor THEN the data directory fails', async () => {
      await writeFile(join(dir, 'not-a-dir'), '');
      const file = await variant('dataDir: ./not-a-dir/data\n', sandboxYaml.replace(/^dataDir:.*\n/m, ''));
      const { r, report } = await doctor(file);
      expect(r.code).toBe(2);
      expect(find(report, 'data directory')).toMatchObject({ status: 'fail' });
      expect(find(report, 'data directory').fix).toContain('GANTRY_DATA_DIR');
    });

    it('GIVEN API tokens and no webhook secret WHEN gantry doctor THEN webhooks fail; a secret without tokens only warns', async () => {
      const own = join(root.path, 'tokens');
      const init = await gantry(['sandbox', 'init', own, '--yaml'], root.path);
      expect(init.code, init.stderr).toBe(0);
      const secretOnly = await gantry(['doctor', '--json'], own, {});
      expect(find(json<Report>(secretOnly), 'webhooks').status).toBe('ok');
      await writeFile(
        join(own, 'gantry.yaml'),
        `${await readFile(join(own, 'gantry.yaml'), 'utf8')}\nserver:\n  webhookSecret: s3cret\n`,
      );
      const warned = await gantry(['doctor', '--json'], own);
      expect(warned.code, warned.stdout).toBe(0);
      expect(find(json<Report>(warned), 'webhooks')).toMatchObject({
        status: 'warn',
        fix: expect.stringContaining('gantry token create'),
      });
      await writeFile(
        join(own, 'gantry.yaml'),
        (await readFile(join(own, 'gantry.yaml'), 'utf8')).replace(/\nserver:\n {2}webhookSecret: s3cret\n/, '\n'),
      );
      const created = await gantry(['token', 'create', '--name', 'ci', '--role', 'promoter'], own);
      expect(created.code, created.stderr).toBe(0);
      const failed = await gantry(['doctor', '--json'], own);
      expect(failed.code).toBe(2);
      expect(find(json<Report>(failed), 'webhooks')).toMatchObject({
        status: 'fail',
        fix: expect.stringContaining('server.webhookSecret'),
      });
      expect(find(json<Report>(failed), 'database').detail).toContain('1 API token(s)');
    });

    it.skipIf(!pgUp)(
      'GIVEN PostgreSQL, live and dead WHEN gantry doctor THEN reachable, then store_unreachable',
      async () => {
        await using schema = await postgresSchema('gantry_doctor');
        const live = await doctor(join(dir, 'gantry.yaml'), { GANTRY_DATABASE_URL: schema.url });
        expect(live.r.code, live.r.stdout).toBe(0);
        expect(find(live.report, 'database').detail).toMatch(/^PostgreSQL /);
        const dead = await doctor(join(dir, 'gantry.yaml'), {
          GANTRY_DATABASE_URL: `postgres://gantry:hunter2@127.0.0.1:${deadPort}/gantry`,
        });
        expect(dead.r.code).toBe(2);
        expect(find(dead.report, 'database')).toMatchObject({ status: 'fail', code: 'store_unreachable' });
        expect(find(dead.report, 'database').fix).toContain('GANTRY_DATABASE_URL');
        expect(dead.r.stdout).not.toContain('hunter2');
      },
    );
  },
);
