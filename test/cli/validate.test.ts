import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry, json } from './run-cli.js';

interface ErrorJson {
  error: { code: string; message: string; issues?: Array<{ path: string; line?: number; column?: number }> };
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function where(text: string, needle: string): string {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not in the text`);
  const before = text.slice(0, i);
  return `${before.split('\n').length}:${i - before.lastIndexOf('\n')}`;
}

describe('gantry validate on pipelines as code, through the real command', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let dir: string;
  let config: string;
  let yaml: string;
  let n = 0;

  beforeAll(async () => {
    root = await tempDir('gantry-validate-');
    dir = join(root.path, 'sandbox');
    const init = await gantry(['sandbox', 'init', dir], root.path);
    expect(init.code, init.stderr).toBe(0);
    config = await readFile(join(dir, 'gantry.config.ts'), 'utf8');
    yaml = await readFile(join(dir, 'gantry.yaml'), 'utf8');
  });
  afterAll(() => root.remove());

  /** A variant of the sandbox's gantry.config.ts, beside it, with its own gantry.yaml naming it. */
  async function variant(text: string): Promise<{ args: string[]; file: string }> {
    n += 1;
    const file = join(dir, `variant-${n}.config.ts`);
    await writeFile(file, text);
    const yamlFile = join(dir, `variant-${n}.yaml`);
    await writeFile(yamlFile, `${yaml}pipelinesFile: variant-${n}.config.ts\n`);
    return { args: ['--config', yamlFile], file };
  }

  const tip = () => execFileSync('git', ['rev-parse', 'main'], { cwd: join(dir, 'config.git'), encoding: 'utf8' });

  it('GIVEN the sandbox WHEN validated THEN valid, and type-checked by the TypeScript compiler', async () => {
    const r = await gantry(['validate', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ typecheck: unknown }>(r).typecheck).toEqual({
      checked: true,
      file: join(dir, 'gantry.config.ts'),
      typescript: expect.stringMatching(/^\d+\.\d+\.\d+/),
      tsconfig: null,
    });
    expect((await gantry(['validate'], dir)).stdout).toContain('type-checked');
  });

  it('GIVEN a type error in gantry.config.ts WHEN validated THEN exit 2 with file:line:col and the compiler message', async () => {
    const text = config.replace('const app = pipeline({', "const replicas: number = 'three';\nconst app = pipeline({");
    const { args, file } = await variant(text);
    const r = await gantry([...args, 'validate'], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `${file}:${where(text, 'replicas')} [TS2322] Type 'string' is not assignable to type 'number'.`,
    );

    const j = await gantry([...args, 'validate', '--json'], dir);
    expect(j.code).toBe(2);
    expect(json<ErrorJson>(j).error.issues).toEqual([
      expect.objectContaining({ path: 'TS2322', file, line: Number(where(text, 'replicas').split(':')[0]) }),
    ]);
  });

  it('GIVEN a resource type a source cannot hold WHEN validated THEN the compiler refuses it at its line', async () => {
    // an image source in a Helm chart pipeline: row 1 of the product, a compile error
    const text = config
      .replace('ociImage, ociImageSource', 'helmChart, ociImage, ociImageSource')
      .replace('resource: ociImage, labels', 'resource: helmChart, labels');
    const { args, file } = await variant(text);
    const r = await gantry([...args, 'validate'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.]/g, '\\.')}:\\d+:\\d+ \\[TS\\d+\\]`));
  });

  it('GIVEN gantry.config.ts throws WHEN any command loads it THEN exit 2 with the line and column it threw at', async () => {
    const text = config.replace(
      'const app = pipeline({',
      "if (!process.env.NOPE) throw new Error('APP_TEAM is not set');\nconst app = pipeline({",
    );
    const { args, file } = await variant(text);
    const at = where(text, 'new Error');
    for (const command of [['status'], ['promote', 'app', 'staging'], ['serve', '--port', '0']]) {
      const r = await gantry([...args, ...command], dir);
      expect(r.code, command.join(' ')).toBe(2);
      expect(r.stderr).toContain(`[config_load_failed] ${file}:${at}: APP_TEAM is not set`);
    }
  });

  it('GIVEN a misspelt name in gantry.config.ts WHEN status runs THEN exit 2 with its line and column', async () => {
    const text = config.replace('source: ociImageSource({', 'source: ociImageSourc({');
    const { args, file } = await variant(text);
    const r = await gantry([...args, 'status'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${file}:${where(text, 'ociImageSourc(')}: ReferenceError: ociImageSourc is not defined`,
    );
    // validate says it once, as the compiler does
    const v = await gantry([...args, 'validate'], dir);
    expect(v.stderr).toContain(`${file}:${where(text, 'ociImageSourc(')} [TS2552] Cannot find name 'ociImageSourc'`);
    expect(v.stderr).not.toContain('ReferenceError');
  });

  it('GIVEN unknown names and a path outside the repository in gantry.config.ts WHEN validated THEN every one, at its line', async () => {
    const text = config
      .replace("registry: 'sandbox'", "registry: 'sandbx'")
      .replace(
        "repository: 'config', path: 'env/staging/deployment.yaml'",
        "repository: 'confg', path: 'env/staging/deployment.yaml'",
      )
      .replace("path: 'env/production/deployment.yaml'", "path: '../production/deployment.yaml'")
      .replace("name: 'app'", "name: 'My App'");
    const { args, file } = await variant(text);
    const r = await gantry([...args, 'validate'], dir);
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('  '));
    expect(lines).toEqual([
      `  ${file}:${where(text, "'My App'")} [pipelines[0](My App).name] "My App" is not a valid name (lowercase letters, digits, . _ -)`,
      `  ${file}:${where(text, "'sandbx'")} [pipelines[0](My App).phases[0](oci).source.registry] unknown registry "sandbx"; known: sandbox`,
      `  ${file}:${where(text, "'confg'")} [pipelines[0](My App).phases[1](staging).source.repository] unknown repository "confg"; known: config`,
      `  ${file}:${where(text, "'../production")} [pipelines[0](My App).phases[2](production).source.path] "../production/deployment.yaml" leaves the repository (..); it must be a path inside repository "config", such as env/staging/deployment.yaml`,
    ]);
  });

  it('GIVEN a path outside the repository WHEN promote or serve runs THEN refused at load with the same message, nothing written', async () => {
    const text = config.replace("path: 'env/staging/deployment.yaml'", "path: '/etc/passwd'");
    const { args, file } = await variant(text);
    const before = tip();
    const message = `${file}:${where(text, "'/etc/passwd'")} [pipelines[0](app).phases[1](staging).source.path] "/etc/passwd" is absolute`;
    for (const command of [['validate'], ['promote', 'app', 'staging'], ['serve', '--port', '0']]) {
      const r = await gantry([...args, ...command], dir);
      expect(r.code, command.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toContain('[internal]');
    }
    expect(tip()).toBe(before);
  });
});

describe('gantry validate on YAML pipelines, through the real command', () => {
  it('GIVEN a git path into .git and an unknown registry WHEN validated and promoted THEN exit 2 naming phase, field and line', async () => {
    await using root = await tempDir('gantry-validate-yaml-');
    const dir = join(root.path, 'sandbox');
    expect((await gantry(['sandbox', 'init', '--yaml', dir], root.path)).code).toBe(0);
    const good = await readFile(join(dir, 'gantry.yaml'), 'utf8');
    const text = good
      .replace('path: env/production/deployment.yaml', 'path: .git/config')
      .replace('registry: sandbox\n', 'registry: hub\n');
    expect(text).not.toBe(good);
    const file = join(dir, 'bad.yaml');
    await writeFile(file, text);
    const r = await gantry(['--config', file, 'validate'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${file}:${where(text, 'hub\n')} [pipelines[0].phases[0].source.registry] unknown registry "hub"; known: sandbox`,
    );
    expect(r.stderr).toContain(
      `${file}:${where(text, '.git/config')} [pipelines[0].phases[2].source.path] ".git/config" is inside .git`,
    );

    const p = await gantry(['--config', file, 'promote', 'app', 'production'], dir);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain('".git/config" is inside .git');
    expect(r.stdout).toBe('');
  });
});
