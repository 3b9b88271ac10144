// The published package as a user gets it: packed, installed into an empty project from the
// tarball, and used there with npx, tsc and vitest; no monorepo, no TypeScript loader.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, hasTool, tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from './npm-project.js';
import { installProject, packGantry, run, userEnv } from './npm-project.js';

const USER_TEST = `import { defineConfig, gitFile, kubernetesImage, ociImage, ociImageSource, pipeline } from 'gantry';
import { createPipelineSandbox } from 'gantry/testing';
import { expect, test } from 'vitest';

const deployment = (digest: string) =>
  \`apiVersion: apps/v1
kind: Deployment
metadata: { name: app }
spec:
  template:
    spec:
      containers:
        - name: app
          image: localhost:5000/app@\${digest}
\`;

test('my pipeline promotes a pushed image into staging', async () => {
  const app = pipeline({ name: 'app', resource: ociImage });
  const oci = app.phase('oci', {
    source: ociImageSource({ registry: 'sandbox', repository: 'app', select: { by: 'tag', tag: 'latest' } }),
  });
  app.phase('staging', {
    promotesFrom: oci,
    source: gitFile({ repository: 'config', path: 'staging.yaml', updater: kubernetesImage({ container: 'app' }) }),
  });
  const sb = await createPipelineSandbox(defineConfig({ pipelines: [app] }), {
    files: { 'staging.yaml': deployment(\`sha256:\${'0'.repeat(64)}\`) },
  });
  try {
    const digest = await sb.pushImage('app');
    expect((await sb.engine.promote('app', 'staging')).kind).toBe('promoted');
    expect(await sb.readFile('staging.yaml')).toBe(deployment(digest));
  } finally {
    await sb.close();
  }
});
`;

/**
 * The user's own tsconfig: strict, Node's module resolution and types (the declarations name
 * Node's globals, e.g. AbortSignal), and our declarations checked too.
 */
const TSCONFIG = {
  compilerOptions: {
    strict: true,
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    skipLibCheck: false,
    noEmit: true,
    types: ['node'],
  },
  include: ['sandbox/gantry.config.ts'],
};

describe('the gantry package, packed and installed into an empty project', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let project: string;
  let sandbox: string;
  let version: string;
  /** `npx gantry ...` in `cwd`, never installing anything (the project's own bin, or fail). */
  const gantry = (args: readonly string[], cwd = project): Promise<Run> =>
    run('npx', ['--no', '--', 'gantry', ...args], cwd);

  beforeAll(async () => {
    hasTool('git');
    root = await tempDir('gantry-pack-');
    const tarball = await packGantry(join(root.path, 'packed'));
    project = join(root.path, 'project');
    await installProject(project, tarball);
    sandbox = join(project, 'sandbox');
    version = (
      JSON.parse(await readFile(join(project, 'node_modules', 'gantry', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    const init = await gantry(['sandbox', 'init', sandbox]);
    if (init.code !== 0) throw new Error(`gantry sandbox init failed:\n${init.stdout}\n${init.stderr}`);
  }, 900_000);
  afterAll(() => root?.remove());

  it('GIVEN the package WHEN its bundled npm packages are looked for THEN their licences ship beside the code', async () => {
    const notices = await readFile(join(project, 'node_modules', 'gantry', 'dist', 'THIRD-PARTY-NOTICES.md'), 'utf8');
    for (const name of ['zod', 'yaml', 'commander', 'picomatch', 'picocolors', '@hono/zod-openapi']) {
      expect(notices).toMatch(new RegExp(`^## ${name} \\d+\\.\\d+\\.\\d+ \\((MIT|ISC)\\)$`, 'm'));
    }
    expect(notices).toMatch(/Copyright \(c\) \d{4} Colin McDonnell/); // zod's licence text itself
  });

  it('GIVEN the install WHEN gantry --version THEN the package version, from compiled JavaScript alone', async () => {
    const r = await gantry(['--version']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(version);
    // nothing to run TypeScript with: the CLI cannot be using a loader
    expect(existsSync(join(project, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(join(project, 'node_modules', 'gantry', 'src'))).toBe(false);
  });

  it('GIVEN the sandbox it made WHEN status, push and promote THEN each works, the config compiled into the cache', async () => {
    const status = await gantry(['status', '--json'], sandbox);
    expect(status.code, status.stderr).toBe(0);
    const phases = (JSON.parse(status.stdout) as Array<{ phases: Array<{ phase: string; state: string }> }>)[0]?.phases;
    expect(phases?.map((p) => [p.phase, p.state])).toEqual([
      ['oci', 'source'],
      ['staging', 'in-sync'],
      ['production', 'in-sync'],
    ]);
    const cache = join(sandbox, 'node_modules', '.cache', 'gantry');
    expect(existsSync(cache)).toBe(true);

    expect((await gantry(['sandbox', 'push', '.'], sandbox)).code).toBe(0);
    const promote = await gantry(['promote', 'app', 'staging', '--json'], sandbox);
    expect(promote.code, promote.stderr).toBe(0);
    expect(JSON.parse(promote.stdout)).toMatchObject({ kind: 'promoted' });
  });

  it('GIVEN the sandbox WHEN served THEN the dashboard is at / and /healthz answers ok', async () => {
    const port = await freePort();
    const child = spawn('npx', ['--no', '--', 'gantry', 'serve', '--port', String(port)], {
      cwd: sandbox,
      env: userEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      // its own process group: npx does not pass a SIGTERM on to the gantry it started
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      const base = `http://127.0.0.1:${port}`;
      let health: Response | undefined;
      for (let i = 0; i < 600 && child.exitCode === null; i++) {
        health = await fetch(`${base}/healthz`).catch(() => undefined);
        if (health?.ok) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(health?.ok, output).toBe(true);
      expect(await health?.json()).toEqual({ status: 'ok' });
      const page = await fetch(`${base}/`);
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = await page.text();
      expect(html).toContain('<title>Gantry</title>');
      expect(html).not.toContain('The dashboard is not built');
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      expect((await fetch(`${base}${script}`)).status).toBe(200);
    } finally {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  });

  it("GIVEN the user's gantry.config.ts WHEN type-checked by their own tsc and validated THEN no errors, against the shipped declarations", async () => {
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    const tsc = await run('npx', ['--no', '--', 'tsc', '-p', 'tsconfig.json'], project);
    expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0);
    // the compiler sees the package's declarations, not sources
    const listed = await run('npx', ['--no', '--', 'tsc', '-p', 'tsconfig.json', '--listFiles'], project);
    expect(listed.stdout).toContain(join('node_modules', 'gantry', 'dist', 'index.d.ts'));

    const validate = await gantry(['validate', '--json'], sandbox);
    expect(validate.code, validate.stderr).toBe(0);
    expect(JSON.parse(validate.stdout)).toMatchObject({ valid: true, typecheck: { checked: true } });
  });

  it("GIVEN the user's vitest file importing gantry/testing WHEN vitest runs in their project THEN it passes", async () => {
    await mkdir(join(project, 'test'), { recursive: true });
    await writeFile(join(project, 'test', 'pipeline.test.ts'), USER_TEST);
    const r = await run('npx', ['--no', '--', 'vitest', 'run', '--dir', 'test'], project, { timeoutMs: 180_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 passed/);
  });

  it('GIVEN a config importing gantry of another major version WHEN loaded THEN refused, naming both versions', async () => {
    const other = join(project, 'other');
    await mkdir(join(other, 'node_modules', 'gantry'), { recursive: true });
    await writeFile(
      join(other, 'node_modules', 'gantry', 'package.json'),
      '{ "name": "gantry", "version": "99.1.0" }\n',
    );
    await writeFile(join(other, 'gantry.yaml'), 'repositories: {}\n');
    await writeFile(
      join(other, 'gantry.config.ts'),
      "import { defineConfig } from 'gantry';\nexport default defineConfig({ pipelines: [] });\n",
    );
    // its own node_modules makes it a project of its own to npx: the installed command, by path
    const r = await run(join(project, 'node_modules', '.bin', 'gantry'), ['status'], other);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[gantry_version_mismatch]');
    expect(r.stderr).toContain('imports gantry 99.1.0');
    expect(r.stderr).toContain(`this gantry CLI is ${version}`);
  });

  it('GIVEN the sandbox (no GitHub provider, no window gate) WHEN status runs THEN Octokit, luxon and rrule are never loaded, and the bundled packages load from the bundle', async () => {
    // every module the process loads: ES modules through a load hook, CommonJS ones through NODE_DEBUG
    const hooks = join(root.path, 'log-loads.mjs');
    await writeFile(
      hooks,
      `export async function load(url, context, next) { process.stderr.write('esm-load ' + url + '\\n'); return next(url, context); }\n`,
    );
    const register = join(root.path, 'register-log-loads.mjs');
    await writeFile(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`,
    );
    const bin = join(project, 'node_modules', 'gantry', 'bin', 'gantry.js');
    const r = await run(process.execPath, ['--import', register, bin, 'status'], sandbox, {
      env: userEnv({ NODE_DEBUG: 'module' }),
    });
    expect(r.code, r.stderr).toBe(0);
    const loaded = [...r.stderr.matchAll(/(?:esm-load file:\/\/|load ")([^"\s]*\/node_modules\/[^"\s]+)/g)].map(
      (m) => m[1] ?? '',
    );
    // what status does need is seen: the observation works
    expect(loaded.some((p) => p.includes('/node_modules/gantry/dist/'))).toBe(true);
    // zod, yaml, commander, picomatch are compiled into the bundle: one file each, not a package's hundred
    expect(loaded.filter((p) => /\/node_modules\/(zod|yaml|commander|picomatch|picocolors)\//.test(p))).toEqual([]);
    // they load on first use: a call to GitHub, a window gate's zone, date or recurrence
    expect(loaded.filter((p) => /\/node_modules\/(@octokit\/[^/]+|luxon|rrule)\//.test(p))).toEqual([]);
  });

  it('GIVEN a Node.js older than 20.19 WHEN gantry runs THEN it says which version it needs, before loading anything', async () => {
    const bin = join(project, 'node_modules', 'gantry', 'bin', 'gantry.js');
    const pretend = `data:text/javascript,Object.defineProperty(process.versions, 'node', { value: '18.20.4' });`;
    const r = await run(process.execPath, ['--import', pretend, bin, 'status'], project);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('gantry needs Node.js >= 20.19.0; this is Node.js 18.20.4');
  });
});
