import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@gantry/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-config-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function load(text: string, env: Record<string, string> = {}) {
  await writeFile(join(dir, 'gantry.yaml'), text);
  return loadConfig({ cwd: dir, env });
}

async function issuesOf(text: string, env: Record<string, string> = {}) {
  const e = await load(text, env).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ValidationError);
  return (e as ValidationError).issues;
}

describe('loadConfig', () => {
  it('GIVEN no gantry.yaml WHEN loaded THEN defaults, relative to cwd', async () => {
    const c = await loadConfig({ cwd: dir, env: {} });
    expect(c.file).toBeUndefined();
    expect(c.config).toEqual({});
    expect(c.dir).toBe(dir);
  });

  it('GIVEN a valid file with ${VAR} secrets WHEN loaded THEN interpolated and typed', async () => {
    const c = await load(
      [
        'repositories:',
        '  config:',
        '    url: https://git.example.com/config.git',
        '    credentials:',
        '      token: ${GIT_TOKEN}',
        '',
      ].join('\n'),
      { GIT_TOKEN: 's3cret' },
    );
    expect(c.config.repositories?.config?.credentials).toEqual({ token: 's3cret' });
  });

  it('GIVEN a wrong type deep in a pipeline WHEN loaded THEN the issue names file, line and field', async () => {
    const issues = await issuesOf(
      [
        'pipelines:',
        '  - name: app',
        '    resource: oci-image',
        '    phases:',
        '      - name: staging',
        '        source:',
        '          type: git',
        '          repository: config',
        '          path: 42',
        '          updater: { type: kubernetes-image, container: app }',
        '',
      ].join('\n'),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      file: join(dir, 'gantry.yaml'),
      line: 9,
      path: 'pipelines[0].phases[0].source.path',
    });
  });

  it('GIVEN an unknown field and a missing one WHEN loaded THEN both are reported, each at its line', async () => {
    const issues = await issuesOf(
      ['registries:', '  hub:', '    urll: https://x', 'dataDir: .g', 'colour: blue', ''].join('\n'),
    );
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.line]));
    expect(byPath.colour).toBe(5);
    expect(byPath['registries.hub.urll']).toBe(3);
  });

  it('GIVEN a missing environment variable WHEN loaded THEN its name and line are reported', async () => {
    const issues = await issuesOf(
      ['registries:', '  hub:', '    url: https://r.example.com', '    auth: { token: "${HUB_TOKEN}" }', ''].join('\n'),
    );
    expect(issues[0]).toMatchObject({ line: 4, message: 'environment variable HUB_TOKEN is not set' });
  });

  it('GIVEN broken YAML WHEN loaded THEN the syntax error has the line and column of the mistake', async () => {
    const issues = await issuesOf('repositories:\n  config: { url: x\n');
    expect(issues[0]).toMatchObject({ file: join(dir, 'gantry.yaml'), line: 2, column: 11 });
  });

  it('GIVEN GANTRY_DATA_DIR and GANTRY_LOG_LEVEL WHEN loaded THEN they override the file', async () => {
    const c = await load('dataDir: from-file\nlogLevel: info\n', {
      GANTRY_DATA_DIR: '/var/gantry',
      GANTRY_LOG_LEVEL: 'debug',
    });
    expect(c.config).toMatchObject({ dataDir: '/var/gantry', logLevel: 'debug' });
  });

  it('GIVEN a message rendering WHEN an issue is printed THEN it reads file:line [field] message', async () => {
    const e = await load('dataDir: 3\n').catch((err: unknown) => err);
    expect((e as Error).message).toContain(`${join(dir, 'gantry.yaml')}:1:10 [dataDir]`);
  });

  it('GIVEN anchors and aliases WHEN loaded THEN read by the yaml library, the values as written', async () => {
    const c = await load('registries:\n  a: &r { url: https://r.example.com }\n  b: *r\n');
    expect(c.config.registries?.b).toMatchObject({ url: 'https://r.example.com' });
  });

  it('GIVEN a valid file WHEN loaded THEN its positions are built only when asked for', async () => {
    const c = await load('dataDir: .gantry\nlogLevel: info\n');
    const yaml = c.yaml?.();
    expect(yaml?.lineCounter.linePos(yaml.doc.contents?.range?.[0] ?? -1)).toEqual({ line: 1, col: 1 });
    expect(c.yaml?.()).toBe(yaml);
  });

  it('GIVEN an unknown field among many WHEN loaded THEN its line, as before the fast reader', async () => {
    const issues = await issuesOf(
      ['dataDir: .gantry', 'repositories:', '  config:', '    url: x', '    brnch: main', ''].join('\n'),
    );
    expect(issues[0]).toMatchObject({
      line: 5,
      column: 12,
      path: 'repositories.config.brnch',
      message: 'unknown field "brnch"',
    });
  });

  it('GIVEN a missing variable reached through an alias WHEN loaded THEN reported at each place', async () => {
    const issues = await issuesOf('registries:\n  a: &r { url: "${NOPE}" }\n  b: *r\n');
    const missing = issues.filter((i) => i.message === 'environment variable NOPE is not set');
    expect(missing.map((i) => [i.path, i.line])).toEqual([
      ['registries.a.url', 2],
      ['registries.b.url', 3],
    ]);
  });

  it('GIVEN a variable after values without any WHEN loaded THEN only it changes, in its place', async () => {
    const pipeline = (name: string) =>
      `  - { name: ${name}, resource: oci-image, phases: [{ name: oci, source: { type: oci, registry: a, repository: app, select: { by: tag, tag: latest } } }] }`;
    const c = await load(
      [
        'registries:',
        '  a: { url: https://a.example.com }',
        '  b: { url: "https://${HOST}" }',
        'pipelines:',
        pipeline('first'),
        pipeline('"${SECOND}"'),
        '',
      ].join('\n'),
      { HOST: 'b.example.com', SECOND: 'second' },
    );
    expect(Object.keys(c.config.registries ?? {})).toEqual(['a', 'b']);
    expect(c.config.registries?.b).toMatchObject({ url: 'https://b.example.com' });
    expect(c.config.pipelines?.map((p) => p.name)).toEqual(['first', 'second']);
  });
});
