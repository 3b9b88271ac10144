import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { errorLocation, findImport, findLiteral, positionAt, syntaxErrorLocation } from './source-location.js';

const CONFIG = [
  "import { pipeline } from 'gantry';",
  "import { shared } from './lib/shared.js';",
  '',
  "const app = pipeline({ name: 'app' });",
  "app.phase('staging', { source: gitFile({ repository: 'config', path: 'env/app.yaml' }) });",
  "app.phase('production', { source: gitFile({ repository: \"config\", path: 'app' }) });",
  '',
].join('\n');

describe('positionAt', () => {
  it('GIVEN offsets WHEN placed THEN 1-based line and column', () => {
    expect(positionAt('ab\ncd\n', 0)).toEqual({ line: 1, column: 1 });
    expect(positionAt('ab\ncd\n', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('findLiteral', () => {
  it('GIVEN a key WHEN the value is written as key: literal THEN that literal, not an earlier use', () => {
    // 'app' is first the pipeline name; as a path it is on line 6
    expect(findLiteral(CONFIG, 'app', 'path')).toEqual({ line: 6, column: 73 });
    expect(findLiteral(CONFIG, 'app')).toEqual({ line: 4, column: 30 });
  });

  it('GIVEN a value written twice WHEN the last is asked for THEN the second', () => {
    expect(findLiteral(CONFIG, 'config', 'repository', true)).toEqual({ line: 6, column: 57 });
  });

  it('GIVEN a value that is no literal there WHEN looked for THEN undefined', () => {
    expect(findLiteral(CONFIG, 'stagin')).toBeUndefined();
    // part of a literal is not the literal
    expect(findLiteral(CONFIG, 'env')).toBeUndefined();
  });
});

describe('findImport', () => {
  it('GIVEN a package Node could not find WHEN looked for THEN its specifier', () => {
    expect(findImport(CONFIG, '/p/gantry.config.ts', 'gantry')).toEqual({ line: 1, column: 26 });
  });
  it('GIVEN a relative module resolved to an absolute path WHEN looked for THEN its specifier', () => {
    expect(findImport(CONFIG, '/p/gantry.config.ts', '/p/lib/shared.js')).toEqual({ line: 2, column: 24 });
    expect(findImport(CONFIG, '/p/gantry.config.ts', '/elsewhere/shared.js')).toBeUndefined();
  });
});

describe('errorLocation', () => {
  it('GIVEN an error thrown by a module in the user directory WHEN located THEN its line and column there', async () => {
    await using dir = await tempDir('gantry-location-');
    const file = join(dir.path, 'gantry.config.mjs');
    await writeFile(
      file,
      ['const a = 1;', '', 'export function boom() {', "  throw new Error('boom');", '}', ''].join('\n'),
    );
    const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { boom: () => void };
    let thrown: unknown;
    try {
      mod.boom();
    } catch (e) {
      thrown = e;
    }
    expect(errorLocation(thrown, file)).toEqual({ file, line: 4, column: 9 });
  });

  it('GIVEN an error from a library the config called WHEN located THEN the user frame that called it', () => {
    const stack = [
      'Error: container is required',
      '    at kubernetesImage (/srv/app/node_modules/gantry/src/updaters.ts:10:11)',
      '    at /opt/gantry/packages/core/src/x.ts:5:5',
      '    at <anonymous> (/srv/app/lib/shared.ts:7:3)',
      '    at <anonymous> (file:///srv/app/gantry.config.ts:12:1)',
    ].join('\n');
    const e = Object.assign(new Error('container is required'), { stack });
    expect(errorLocation(e, '/srv/app/gantry.config.ts')).toEqual({
      file: '/srv/app/lib/shared.ts',
      line: 7,
      column: 3,
    });
  });

  it("GIVEN esbuild's syntax error WHEN located THEN the place it names", () => {
    const e = new Error('Transform failed with 1 error:\n/srv/app/gantry.config.ts:4:7: ERROR: Expected identifier');
    expect(errorLocation(e, '/srv/app/gantry.config.ts')).toEqual({
      file: '/srv/app/gantry.config.ts',
      line: 4,
      column: 7,
    });
  });

  it("GIVEN a syntax error in JavaScript WHEN located THEN node --check's line and caret column", async () => {
    await using dir = await tempDir('gantry-location-');
    await mkdir(join(dir.path, 'sub'));
    const file = join(dir.path, 'sub', 'gantry.config.mjs');
    await writeFile(file, ['const a = 1;', 'const b = { x: 1,, };', 'export default a;', ''].join('\n'));
    expect(await syntaxErrorLocation(file)).toEqual({ file, line: 2, column: 18 });
    await writeFile(file, 'export default 1;\n');
    expect(await syntaxErrorLocation(file)).toBeUndefined();
  });

  it('GIVEN a stack with no frame in the user files WHEN located THEN undefined', () => {
    const e = Object.assign(new Error('x'), { stack: 'Error: x\n    at f (/opt/gantry/src/a.ts:1:1)' });
    expect(errorLocation(e, '/srv/app/gantry.config.ts')).toBeUndefined();
  });
});
