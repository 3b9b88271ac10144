import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir extends AsyncDisposable {
  readonly path: string;
  remove(): Promise<void>;
}

/** A fresh directory under the OS temp dir; `await using` or `remove()` cleans it. */
export async function tempDir(prefix = 'gantry-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  // retried: a git process a test's server just stopped may still be finishing a write in there
  const remove = () => rm(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  return { path, remove, [Symbol.asyncDispose]: remove };
}
