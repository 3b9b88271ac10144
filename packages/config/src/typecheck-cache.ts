import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configCacheDir } from './compile-config.js';

/** Bumped when the entry's shape changes: an entry of another shape is not found, never misread. */
const FORMAT = 2;

/**
 * How long before its content was read a file must have last changed for its stat to stand for
 * its content: file times are coarse (a clock tick on Linux, 2 s on FAT), so a file written
 * within that time of being read could be written again with the same size and times.
 */
const SETTLED_MS = 2_000;

/** The compiler a check would use, found without loading it. */
export interface FoundTypescript {
  /** Its main module. */
  readonly path: string;
  readonly version: string;
}

/** What a clean check remembers: the compiler, the tsconfig it found, and every file it read. */
interface Entry {
  readonly format: number;
  readonly typescript: FoundTypescript;
  readonly tsconfig: string | null;
  /** The tsconfig.json whose options applied (one that includes the file), as the result names it. */
  readonly project: string | null;
  /** Absolute path -> sha256 of its content: the config, project files, declarations, tsconfig files. */
  readonly files: Readonly<Record<string, string>>;
  /**
   * Absolute path -> the file's stat (see `fingerprint`) when it had that content, for the files
   * that had settled then: one that still has it is not read again.
   */
  readonly stats: Readonly<Record<string, string>>;
}

export const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * A file's size, modification and status-change times (ns) and inode, with when it last changed.
 * Writing a file changes its times; the status-change time cannot be set back (a restored
 * modification time, a copied or checked-out file, all change it), and a replaced file has
 * another inode.
 */
function fingerprint(path: string): { key: string; changedMs: number } | undefined {
  try {
    const s = statSync(path, { bigint: true });
    const changedMs = Math.max(Number(s.mtimeNs / 1_000_000n), Number(s.ctimeNs / 1_000_000n));
    return { key: `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`, changedMs };
  } catch {
    return undefined;
  }
}

/** The stats worth keeping: of the files that had last changed well before `readAt`, when their content was read. */
function settledStats(paths: Iterable<string>, readAt: number): Record<string, string> {
  const stats: Record<string, string> = {};
  for (const path of paths) {
    const f = fingerprint(path);
    if (f && f.changedMs < readAt - SETTLED_MS) stats[path] = f.key;
  }
  return stats;
}

const entryPath = (file: string) => join(configCacheDir(file), `typecheck-${sha256(file).slice(0, 24)}.json`);

/** The version of the typescript package whose main module is `main` (…/lib/typescript.js). */
export function typescriptVersion(main: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(dirname(dirname(main)), 'package.json'), 'utf8')) as {
      name?: string;
      version?: string;
    };
    return manifest.name === 'typescript' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

/** The tsconfig.json an editor would look at first for `file`: the nearest one above it. */
export function nearestTsconfig(file: string): string | null {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Whether `file` was checked clean before with this compiler, and nothing it read has changed
 * since: same content for every file (the config, the project files it imports, the
 * declarations of the packages it imports, the tsconfig and what it extends), the same nearest
 * tsconfig. Only clean checks are kept: a check with errors runs again, whatever changed.
 *
 * A file whose stat is the one it had when its content was last hashed is taken as unchanged
 * without reading it (a project's declarations are megabytes: `gantry validate` read and hashed
 * them all on every run); any other file is hashed, and the entry then keeps its new stat.
 * `readAt` is now (a test may say later, to have every file count as settled).
 */
export function checkedCleanBefore(
  file: string,
  typescript: FoundTypescript,
  readAt = Date.now(),
): { project: string | null } | undefined {
  let entry: Entry;
  try {
    entry = JSON.parse(readFileSync(entryPath(file), 'utf8')) as Entry;
  } catch {
    return undefined;
  }
  if (entry.format !== FORMAT) return undefined;
  if (entry.typescript.path !== typescript.path || entry.typescript.version !== typescript.version) return undefined;
  if (entry.tsconfig !== nearestTsconfig(file)) return undefined;
  const hashed: string[] = [];
  for (const [path, hash] of Object.entries(entry.files)) {
    const stat = entry.stats[path];
    if (stat !== undefined && stat === fingerprint(path)?.key) continue;
    let text: Buffer;
    try {
      text = readFileSync(path);
    } catch {
      return undefined;
    }
    if (sha256(text) !== hash) return undefined;
    hashed.push(path);
  }
  // files read again that have settled since: their stats spare the next check the reading
  const settled = settledStats(hashed, readAt);
  if (Object.keys(settled).length > 0) writeEntry(file, { ...entry, stats: { ...entry.stats, ...settled } });
  return { project: entry.project };
}

/**
 * Remembers a clean check of `file` and the files it read, by the hashes of what it read;
 * `readAt` is when the check began reading them (a file changed since keeps no stat).
 */
export function rememberCleanCheck(
  file: string,
  typescript: FoundTypescript,
  project: string | undefined,
  files: Readonly<Record<string, string>>,
  readAt: number,
): void {
  writeEntry(file, {
    format: FORMAT,
    typescript,
    tsconfig: nearestTsconfig(file),
    project: project ?? null,
    files,
    stats: settledStats(Object.keys(files), readAt),
  });
}

/** Writes an entry whole, then renames it into place: a reader sees all of it or none. */
function writeEntry(file: string, entry: Entry): void {
  const path = entryPath(file);
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, path);
  } catch {
    // a cache that cannot be written only costs the next check its time
  }
}
