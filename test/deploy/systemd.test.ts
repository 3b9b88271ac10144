import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const UNIT = join(ROOT, 'deploy/systemd/gantry.service');

const HAS_SYSTEMD_ANALYZE = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v systemd-analyze'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** `Key=value` lines of the unit, by key (a key may repeat). */
function directives(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) out.set(m[1] as string, [...(out.get(m[1] as string) ?? []), m[2] as string]);
  }
  return out;
}

describe('deploy/systemd/gantry.service', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let unit: string;
  let text: string;

  beforeAll(async () => {
    text = await readFile(UNIT, 'utf8');
    // systemd-analyze wants ExecStart's program to exist: the same unit, pointing at a stand-in
    // for /usr/bin/gantry in a temp directory; every other line is checked as shipped
    dir = await tempDir('gantry-unit-');
    const program = join(dir.path, 'gantry');
    await writeFile(program, '#!/bin/sh\nexit 0\n');
    await chmod(program, 0o755);
    unit = join(dir.path, 'gantry.service');
    await writeFile(unit, text.replace(/^ExecStart=\/usr\/bin\/gantry /m, `ExecStart=${program} `));
  });
  afterAll(() => dir.remove());

  it('GIVEN the unit THEN a dedicated user, a state directory, secrets from a file, restart on failure, hardening', () => {
    const d = directives(text);
    expect(d.get('User')).toEqual(['gantry']);
    expect(d.get('StateDirectory')).toEqual(['gantry']);
    expect(d.get('Environment')).toContain('GANTRY_DATA_DIR=/var/lib/gantry');
    expect(d.get('EnvironmentFile')).toEqual(['-/etc/gantry/gantry.env']);
    expect(d.get('Restart')).toEqual(['on-failure']);
    expect(d.get('ExecStart')).toEqual(['/usr/bin/gantry serve --host 0.0.0.0 --port 8080']);
    for (const [key, value] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
      ['CapabilityBoundingSet', ''],
    ] as const) {
      expect(d.get(key), key).toEqual([value]);
    }
    // V8 compiles code at run time: writable-executable memory must stay allowed
    expect(d.has('MemoryDenyWriteExecute')).toBe(false);
  });

  it.skipIf(!HAS_SYSTEMD_ANALYZE)(
    'GIVEN systemd-analyze WHEN the unit is verified THEN no error and no warning',
    () => {
      const r = spawnSync('systemd-analyze', ['verify', unit], { cwd: dir.path, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    },
  );

  it.skipIf(!HAS_SYSTEMD_ANALYZE)(
    'GIVEN a misspelt directive WHEN verified THEN systemd-analyze names it (the check can fail)',
    async () => {
      const broken = join(dir.path, 'broken.service');
      await writeFile(broken, (await readFile(unit, 'utf8')).replace('NoNewPrivileges=yes', 'NoNewPrivilegez=yes'));
      const r = spawnSync('systemd-analyze', ['verify', broken], { cwd: dir.path, encoding: 'utf8' });
      expect(r.stderr).toContain("Unknown key 'NoNewPrivilegez'");
    },
  );

  it.skipIf(!HAS_SYSTEMD_ANALYZE)(
    'GIVEN systemd-analyze security WHEN the unit is scored offline THEN its exposure is low (at most 2.0)',
    () => {
      // --threshold is in tenths: the command fails when the exposure is above 2.0
      const r = spawnSync('systemd-analyze', ['security', '--offline=true', '--threshold=20', '--no-pager', unit], {
        cwd: dir.path,
        encoding: 'utf8',
      });
      expect(r.stdout).toMatch(/Overall exposure level for gantry\.service: [0-2]\.\d/);
      expect(r.status, r.stdout).toBe(0);
    },
  );
});
