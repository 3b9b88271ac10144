import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * Reads the refs under `prefix` (e.g. `refs/remotes/origin/`) straight from the
 * repository's files, loose refs winning over `packed-refs`: what `git for-each-ref`
 * prints, without starting a process after every fetch.
 */
export async function readRefs(gitDir: string, prefix: string): Promise<Map<string, string>> {
  const refs = new Map<string, string>();
  const packed = await readFile(join(gitDir, 'packed-refs'), 'utf8').catch(() => '');
  for (const line of packed.split('\n')) {
    if (line.startsWith('#') || line.startsWith('^')) continue;
    const [sha, ref] = line.trim().split(' ');
    if (sha && ref?.startsWith(prefix) && SHA.test(sha)) refs.set(ref.slice(prefix.length), sha);
  }
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(gitDir, prefix, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const name = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(name);
      else if (e.isFile() && !e.name.endsWith('.lock')) {
        const sha = (await readFile(join(gitDir, prefix, name), 'utf8').catch(() => '')).trim();
        if (SHA.test(sha)) refs.set(name, sha);
      }
    }
  };
  await walk('');
  return refs;
}
