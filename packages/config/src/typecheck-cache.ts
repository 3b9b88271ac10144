import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configCacheDir } from './compile-config.js';

/** Bumped when the entry's shape changes: an entry of another shape is not found, never misread. */
const FORMAT = 1;

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
}

export const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

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
 */
export function checkedCleanBefore(file: string, typescript: FoundTypescript): { project: string | null } | undefined {
  let entry: Entry;
  try {
    entry = JSON.parse(readFileSync(entryPath(file), 'utf8')) as Entry;
  } catch {
    return undefined;
  }
  if (entry.format !== FORMAT) return undefined;
  if (entry.typescript.path !== typescript.path || entry.typescript.version !== typescript.version) return undefined;
  if (entry.tsconfig !== nearestTsconfig(file)) return undefined;
  for (const [path, hash] of Object.entries(entry.files)) {
    let text: Buffer;
    try {
      text = readFileSync(path);
    } catch {
      return undefined;
    }
    if (sha256(text) !== hash) return undefined;
  }
  return { project: entry.project };
}

/** Remembers a clean check of `file` and the files it read (written whole, then renamed). */
export function rememberCleanCheck(
  file: string,
  typescript: FoundTypescript,
  project: string | undefined,
  files: Readonly<Record<string, string>>,
): void {
  const path = entryPath(file);
  const entry: Entry = { format: FORMAT, typescript, tsconfig: nearestTsconfig(file), project: project ?? null, files };
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, path);
  } catch {
    // a cache that cannot be written only costs the next check its time
  }
}
