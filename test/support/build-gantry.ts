import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GANTRY_PACKAGE_DIR } from './gantry-bin.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/**
 * What the build reads: Gantry's sources, the package's own files, the examples, the dashboard's
 * sources, and what decides the npm packages bundled in and the compiler's settings.
 */
const INPUTS = ['packages', 'examples/gitops', 'package-lock.json', 'tsconfig.json', 'tsconfig.base.json'];
const SKIP = new Set(['node_modules', 'dist']);

/** A fingerprint of every input file's path, size and modification time. */
async function fingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const top of INPUTS) {
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true });
      entries.sort((a, b) => a.name.localeCompare(b.name));
      for (const e of entries) {
        // unit tests are not in the package: editing one builds nothing
        if (SKIP.has(e.name) || /\.test(-d)?\.tsx?$/.test(e.name)) continue;
        const path = join(dir, e.name);
        if (e.isDirectory()) await walk(path);
        else if (e.isFile()) {
          const s = await stat(path);
          hash.update(`${path}\0${s.size}\0${s.mtimeMs}\n`);
        }
      }
    };
    const path = join(ROOT, top);
    const s = await stat(path);
    if (s.isDirectory()) await walk(path);
    else hash.update(`${path}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) newest = Math.max(newest, (await stat(join(e.parentPath, e.name))).mtimeMs);
  }
  return newest;
}

/** `npm test` builds the dashboard first; a lone `vitest run` builds it when missing or older than its sources. */
async function ensureDashboardBuilt(): Promise<void> {
  const index = join(ROOT, 'packages/ui/dist/index.html');
  const sources = Math.max(
    await newestMtime(join(ROOT, 'packages/ui/src')),
    (await stat(join(ROOT, 'packages/ui/index.html'))).mtimeMs,
  );
  if (existsSync(index) && (await stat(index)).mtimeMs >= sources) return;
  await run(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', 'packages/ui', '--logLevel', 'warn'],
    {
      cwd: ROOT,
    },
  );
}

/**
 * Vitest global setup of the integration tests: builds the `gantry` package (test/support/gantry-bin.ts)
 * when its sources changed since the last build, after the dashboard it carries (`npm test`
 * builds that first; a lone `vitest run` builds it when missing or stale).
 */
export async function setup(): Promise<void> {
  await ensureDashboardBuilt();
  const stamp = join(GANTRY_PACKAGE_DIR, '.inputs');
  const wanted = await fingerprint();
  if (existsSync(stamp) && (await readFile(stamp, 'utf8')) === wanted) return;
  // built beside it, then swapped in: a build that fails leaves the last one whole, and two test
  // runs building at once do not write into each other's build (though the swap, as any rebuild,
  // pulls the package from under a run still using the last one)
  const next = `${GANTRY_PACKAGE_DIR.replace(/\/$/, '')}.next-${process.pid}`;
  await run(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'packages/gantry/scripts/build.ts', '--out', next],
    { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
  );
  await writeFile(join(next, '.inputs'), wanted);
  await rm(GANTRY_PACKAGE_DIR, { recursive: true, force: true });
  // another run's build may have landed in between: it was built from the same sources
  await rename(next, GANTRY_PACKAGE_DIR).catch(() => rm(next, { recursive: true, force: true }));
}
