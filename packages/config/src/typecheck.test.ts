import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { typecheckPipelinesFile } from './typecheck.js';

// the compiler Gantry itself has: where a user project's own copy is made to point
const GANTRY_TYPESCRIPT = createRequire(import.meta.url).resolve('typescript');

async function project(files: Record<string, string>) {
  const dir = await tempDir('gantry-typecheck-');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir.path, name, '..'), { recursive: true });
    await writeFile(join(dir.path, name), text);
  }
  return dir;
}

const BROKEN = [
  '// a config with two mistakes',
  "const port: number = '8080';",
  'export default { pipelines: [porte] };',
  '',
];

describe('typecheckPipelinesFile', () => {
  it('GIVEN type errors WHEN checked THEN each as file:line:col with its TS code', async () => {
    await using dir = await project({ 'gantry.config.ts': BROKEN.join('\n') });
    const file = join(dir.path, 'gantry.config.ts');
    const r = typecheckPipelinesFile(file);
    expect(r.kind).toBe('checked');
    if (r.kind !== 'checked') return;
    expect(r.issues).toEqual([
      { path: 'TS2322', file, line: 2, column: 7, message: "Type 'string' is not assignable to type 'number'." },
      { path: 'TS2552', file, line: 3, column: 30, message: "Cannot find name 'porte'. Did you mean 'port'?" },
    ]);
    expect(r.typescript.path).toBe(GANTRY_TYPESCRIPT);
    expect(r.tsconfig).toBeUndefined();
  });

  it('GIVEN a project file the config imports WHEN it has a type error THEN reported at its own line', async () => {
    await using dir = await project({
      'gantry.config.ts': "import { team } from './lib/team.ts';\nexport default { pipelines: [], team };\n",
      'lib/team.ts': 'export const team: { name: string } = { name: 42 };\n',
    });
    const r = typecheckPipelinesFile(join(dir.path, 'gantry.config.ts'));
    expect(r.kind === 'checked' && r.issues).toEqual([
      expect.objectContaining({ path: 'TS2322', file: join(dir.path, 'lib/team.ts'), line: 1, column: 41 }),
    ]);
  });

  it('GIVEN a project without @types/node WHEN the config reads process.env THEN no error: it runs in Node', async () => {
    await using dir = await project({
      'gantry.config.ts':
        'const team: string | undefined = process.env.TEAM;\nexport default { pipelines: [], team };\n',
    });
    expect(typecheckPipelinesFile(join(dir.path, 'gantry.config.ts'))).toMatchObject({ kind: 'checked', issues: [] });
  });

  it('GIVEN a correct file WHEN checked THEN no issues', async () => {
    await using dir = await project({ 'gantry.config.ts': 'const port: number = 8080;\nexport default { port };\n' });
    const r = typecheckPipelinesFile(join(dir.path, 'gantry.config.ts'));
    expect(r).toMatchObject({ kind: 'checked', issues: [] });
  });

  it('GIVEN no TypeScript where it looks WHEN checked THEN skipped with the reason, not failed', async () => {
    await using dir = await project({ 'gantry.config.ts': BROKEN.join('\n') });
    const file = join(dir.path, 'gantry.config.ts');
    const r = typecheckPipelinesFile(file, { resolveFrom: [file] });
    expect(r).toEqual({ kind: 'skipped', file, reason: expect.stringContaining('TypeScript is not installed') });
  });

  it("GIVEN the user's project has its own typescript WHEN checked THEN that one is used, before Gantry's", async () => {
    await using dir = await project({
      'gantry.config.ts': BROKEN.join('\n'),
      'node_modules/typescript/package.json': JSON.stringify({ name: 'typescript', main: 'index.js' }),
      // the project's copy: a package of its own, whose code is the same compiler
      'node_modules/typescript/index.js': `module.exports = require(${JSON.stringify(GANTRY_TYPESCRIPT)});\n`,
    });
    const r = typecheckPipelinesFile(join(dir.path, 'gantry.config.ts'));
    expect(r.kind === 'checked' && r.typescript.path).toBe(join(dir.path, 'node_modules/typescript/index.js'));
    expect(r.kind === 'checked' && r.issues.map((i) => i.path)).toEqual(['TS2322', 'TS2552']);
  });

  it('GIVEN a tsconfig.json that includes the file WHEN checked THEN its options apply (here: not strict)', async () => {
    const loose = 'export function f(a) { return a; }\nexport default { pipelines: [] };\n';
    await using strict = await project({ 'gantry.config.ts': loose });
    const r1 = typecheckPipelinesFile(join(strict.path, 'gantry.config.ts'));
    expect(r1.kind === 'checked' && r1.issues.map((i) => i.path)).toEqual(['TS7006']);

    await using relaxed = await project({
      'gantry.config.ts': loose,
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: false, noEmit: false }, include: ['*.ts'] }),
    });
    const r2 = typecheckPipelinesFile(join(relaxed.path, 'gantry.config.ts'));
    expect(r2).toMatchObject({ kind: 'checked', issues: [], tsconfig: join(relaxed.path, 'tsconfig.json') });
  });

  it('GIVEN a tsconfig.json that does not include the file WHEN checked THEN the defaults apply', async () => {
    await using dir = await project({
      'gantry.config.ts': 'export function f(a) { return a; }\n',
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: false }, include: ['src/**/*.ts'] }),
    });
    const r = typecheckPipelinesFile(join(dir.path, 'gantry.config.ts'));
    expect(r).toMatchObject({ kind: 'checked', tsconfig: undefined });
    expect(r.kind === 'checked' && r.issues.map((i) => i.path)).toEqual(['TS7006']);
  });

  it('GIVEN a JavaScript pipelines file WHEN checked THEN skipped, saying why', async () => {
    await using dir = await project({ 'gantry.config.mjs': 'export default { pipelines: [] };\n' });
    expect(typecheckPipelinesFile(join(dir.path, 'gantry.config.mjs'))).toMatchObject({
      kind: 'skipped',
      reason: expect.stringContaining('is JavaScript'),
    });
  });
  it('GIVEN a clean check WHEN checked again with nothing changed THEN answered from the cache; a change checks again', async () => {
    await using dir = await project({
      'gantry.config.ts': "import { port } from './lib/port.ts';\nexport default { port };\n",
      'lib/port.ts': 'export const port: number = 8080;\n',
    });
    const file = join(dir.path, 'gantry.config.ts');
    expect(typecheckPipelinesFile(file)).toMatchObject({ kind: 'checked', issues: [], cached: false });
    expect(typecheckPipelinesFile(file)).toMatchObject({ kind: 'checked', issues: [], cached: true });
    // a file the config imports: read by the check, so part of what the cache compares
    await writeFile(join(dir.path, 'lib/port.ts'), "export const port: number = '8080';\n");
    const changed = typecheckPipelinesFile(file);
    expect(changed).toMatchObject({ kind: 'checked', cached: false });
    expect(changed.kind === 'checked' && changed.issues.map((i) => i.path)).toEqual(['TS2322']);
    // a check with errors is not kept: it runs again, and still finds them
    expect(typecheckPipelinesFile(file)).toMatchObject({
      cached: false,
      issues: [expect.objectContaining({ path: 'TS2322' })],
    });
    expect(typecheckPipelinesFile(file, { cache: false })).toMatchObject({ cached: false });
  });

  it('GIVEN a clean cached check WHEN a tsconfig.json appears above the file THEN checked again under it', async () => {
    await using dir = await project({ 'gantry.config.ts': 'export default { pipelines: [] as unknown[] };\n' });
    const file = join(dir.path, 'gantry.config.ts');
    typecheckPipelinesFile(file);
    expect(typecheckPipelinesFile(file)).toMatchObject({ cached: true });
    await writeFile(join(dir.path, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true } }));
    expect(typecheckPipelinesFile(file)).toMatchObject({ cached: false, tsconfig: join(dir.path, 'tsconfig.json') });
  });
});
