import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, StoreUnreachableError } from '@gantry/store';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';

describe('store that cannot be reached', () => {
  it('GIVEN a PostgreSQL URL with a password on a closed port WHEN opened THEN store_unreachable shows the URL masked and the cause', async () => {
    const error = await openStore({ databaseUrl: 'postgres://u:secret@127.0.0.1:1/x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnreachableError);
    const e = error as StoreUnreachableError;
    expect(e.code).toBe('store_unreachable');
    expect(e.message).toContain('postgres://u:***@127.0.0.1:1/x');
    expect(e.message).toMatch(/ECONNREFUSED/);
    expect(e.cause).toBeDefined();
    expect(`${e.message} ${JSON.stringify(e.context)} ${e.stack}`).not.toContain('secret');
  });

  it('GIVEN a SQLite path under a regular file WHEN opened THEN store_unreachable names the path', async () => {
    await using dir = await tempDir();
    const file = join(dir.path, 'not-a-dir');
    await writeFile(file, '');
    await expect(openStore({ sqlitePath: join(file, 'gantry.db') })).rejects.toMatchObject({
      code: 'store_unreachable',
      message: expect.stringContaining(join(file, 'gantry.db')),
    });
  });

  it('GIVEN no database at all WHEN opened THEN it says what to configure', async () => {
    await expect(openStore({})).rejects.toMatchObject({ code: 'store_not_configured' });
  });
});
