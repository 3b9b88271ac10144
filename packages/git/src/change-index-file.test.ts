import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Revision } from '@gantry/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BranchIndexes } from './change-index-file.js';
import { loadIndexes, saveIndexes } from './change-index-file.js';

describe('saved change index', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gantry-index-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('GIVEN indexes of two branches WHEN saved and loaded THEN they come back equal, commits shared', async () => {
    const a: Revision = {
      id: 'a'.repeat(40),
      time: new Date(1_700_000_000_000),
      author: 'A <a@x>',
      message: 'm',
      trailers: { K: 'v' },
    };
    const b: Revision = { id: 'b'.repeat(40) };
    const indexes: BranchIndexes = new Map([
      [
        'main',
        {
          tip: 'a'.repeat(40),
          changes: new Map([
            ['x.yaml', a],
            ['y.yaml', b],
          ]),
        },
      ],
      ['prod', { tip: 'b'.repeat(40), changes: new Map([['x.yaml', b]]) }],
    ]);
    const file = join(dir, 'index.json');

    await saveIndexes(file, indexes);
    const loaded = await loadIndexes(file);

    expect(loaded).toEqual(indexes);
    expect(loaded.get('main')?.changes.get('y.yaml')).toBe(loaded.get('prod')?.changes.get('x.yaml'));
  });

  it('GIVEN a missing or corrupt file WHEN loaded THEN the index is empty', async () => {
    expect((await loadIndexes(join(dir, 'none.json'))).size).toBe(0);
    await writeFile(join(dir, 'bad.json'), '{"version":2}');
    expect((await loadIndexes(join(dir, 'bad.json'))).size).toBe(0);
  });
});
