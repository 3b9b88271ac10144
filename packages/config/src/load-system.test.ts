import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '@gantry/core';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { loadSystem } from './load-system.js';

const yaml = (phases: readonly string[], repoBranch = 'main') =>
  [
    'repositories:',
    '  config:',
    '    url: ./config.git',
    `    branch: ${repoBranch}`,
    'registries:',
    '  ghcr:',
    '    url: https://ghcr.io',
    'pipelines:',
    '  - name: app',
    '    resource: oci-image',
    '    phases:',
    '      - name: oci',
    '        source: { type: oci, registry: ghcr, repository: app, select: { by: tag, tag: latest } }',
    ...phases,
    '',
  ].join('\n');

const staging = (source: string) => [
  '      - name: staging',
  '        promotesFrom: oci',
  '        source:',
  '          type: git',
  '          repository: config',
  ...source.split('\n').map((l) => `          ${l}`),
  '          updater: { type: kubernetes-image, container: app }',
];

async function issuesOf(text: string) {
  await using dir = await tempDir('gantry-load-system-');
  await writeFile(join(dir.path, 'gantry.yaml'), text);
  const e = await loadSystem({ cwd: dir.path, env: {} }).then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ValidationError);
  return (e as ValidationError).issues.map((i) => ({ ...i, file: i.file?.replace(dir.path, '<dir>') }));
}

describe('loadSystem resolves what sources name, without a remote', () => {
  it('GIVEN valid YAML pipelines WHEN loaded THEN the system', async () => {
    await using dir = await tempDir('gantry-load-system-');
    await writeFile(join(dir.path, 'gantry.yaml'), yaml(staging('path: env/staging/deployment.yaml')));
    const s = await loadSystem({ cwd: dir.path, env: {} });
    expect(s.system.pipelines.map((p) => p.phases.map((ph) => ph.name))).toEqual([['oci', 'staging']]);
    expect(s.typecheck).toBeUndefined();
  });

  it('GIVEN valid YAML pipelines WHEN loaded THEN the parsed YAML document is let go (a fleet holds ~100 MB of nodes) and the plain configuration kept', async () => {
    await using dir = await tempDir('gantry-load-system-');
    await writeFile(join(dir.path, 'gantry.yaml'), yaml(staging('path: env/staging/deployment.yaml')));
    const s = await loadSystem({ cwd: dir.path, env: {} });
    expect(s.loaded.yaml).toBeUndefined();
    expect(s.loaded.config.pipelines?.map((p) => p.name)).toEqual(['app']);
    expect(s.loaded.file).toBe(join(dir.path, 'gantry.yaml'));
  });

  it.each([
    ['../outside.yaml', 'leaves the repository'],
    ['/etc/passwd', 'is absolute'],
    ['.git/config', 'inside .git'],
  ])('GIVEN a git path %s WHEN loaded THEN refused at its line, naming phase and field', async (path, why) => {
    const issues = await issuesOf(yaml(staging(`path: ${path}`)));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      file: '<dir>/gantry.yaml',
      line: 19,
      column: 17,
      path: 'pipelines[0].phases[1].source.path',
    });
    expect(issues[0]?.message).toContain(why);
  });

  it('GIVEN a branch git refuses WHEN loaded THEN refused at its line', async () => {
    const issues = await issuesOf(yaml(staging('path: a.yaml\nbranch: "-x"')));
    expect(issues).toEqual([
      {
        file: '<dir>/gantry.yaml',
        line: 20,
        column: 19,
        path: 'pipelines[0].phases[1].source.branch',
        message: '"-x" is not a valid git branch name',
      },
    ]);
  });

  it("GIVEN a repository's default branch git refuses WHEN loaded THEN refused at its line", async () => {
    const issues = await issuesOf(yaml(staging('path: a.yaml'), 'a..b'));
    expect(issues).toEqual([
      expect.objectContaining({
        line: 4,
        path: 'repositories.config.branch',
        message: expect.stringContaining('a..b'),
      }),
    ]);
  });

  it('GIVEN an unknown repository and a bad path in two phases WHEN loaded THEN both at once', async () => {
    const prod = [
      '      - name: production',
      '        promotesFrom: staging',
      '        source: { type: git, repository: cfg, path: p.yaml, updater: { type: kubernetes-image, container: app } }',
    ];
    const issues = await issuesOf(yaml([...staging('path: ../x.yaml'), ...prod]));
    expect(issues.map((i) => [i.line, i.path, i.message.split(';')[0]])).toEqual([
      [19, 'pipelines[0].phases[1].source.path', '"../x.yaml" leaves the repository (..)'],
      [23, 'pipelines[0].phases[2].source.repository', 'unknown repository "cfg"'],
    ]);
  });
});
