import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Revision } from '@gantry/core';
import { z } from 'zod';

/** Per branch: the tip and, for each path, the commit that last changed it. */
export type BranchIndexes = Map<string, { readonly tip: string; readonly changes: ReadonlyMap<string, Revision> }>;

const fileSchema = z.object({
  version: z.literal(1),
  commits: z.array(
    z.object({
      id: z.string(),
      time: z.number().optional(),
      author: z.string().optional(),
      message: z.string().optional(),
      trailers: z.record(z.string(), z.string()).optional(),
    }),
  ),
  branches: z.record(z.string(), z.object({ tip: z.string(), paths: z.record(z.string(), z.number().int()) })),
});

/**
 * Reads the index saved by a previous process; anything unreadable or of another
 * version is ignored (the index is rebuilt from git, it is only a cache).
 */
export async function loadIndexes(file: string): Promise<BranchIndexes> {
  const out: BranchIndexes = new Map();
  let parsed: z.infer<typeof fileSchema>;
  try {
    parsed = fileSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return out;
  }
  const revisions: Revision[] = parsed.commits.map((c) => ({
    id: c.id,
    ...(c.time !== undefined ? { time: new Date(c.time) } : {}),
    ...(c.author !== undefined ? { author: c.author } : {}),
    ...(c.message !== undefined ? { message: c.message } : {}),
    ...(c.trailers !== undefined ? { trailers: c.trailers } : {}),
  }));
  for (const [branch, b] of Object.entries(parsed.branches)) {
    const changes = new Map<string, Revision>();
    for (const [path, i] of Object.entries(b.paths)) {
      const r = revisions[i];
      if (r) changes.set(path, r);
    }
    out.set(branch, { tip: b.tip, changes });
  }
  return out;
}

/** Writes the indexes atomically (temp file + rename), sharing each commit once. */
export async function saveIndexes(file: string, indexes: BranchIndexes): Promise<void> {
  const ids = new Map<Revision, number>();
  const commits: unknown[] = [];
  const branches: Record<string, { tip: string; paths: Record<string, number> }> = {};
  for (const [branch, { tip, changes }] of indexes) {
    const paths: Record<string, number> = {};
    for (const [path, r] of changes) {
      let i = ids.get(r);
      if (i === undefined) {
        i = commits.length;
        ids.set(r, i);
        commits.push({ ...r, time: r.time?.getTime() });
      }
      paths[path] = i;
    }
    branches[branch] = { tip, paths };
  }
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ version: 1, commits, branches }));
  await rename(tmp, file);
}
