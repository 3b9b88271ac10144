/**
 * One process of the multi-process burst: opens the shared data directory, warms its
 * readers, says `ready`, waits for `go` on stdin, promotes its services at once, and
 * prints one JSON line with each outcome and its git counters.
 */
import { createInterface } from 'node:readline';
import { gantryRig, promoteTo, servicePipeline } from './git-bench.js';

const [url, dataDir, idsArg] = process.argv.slice(2);
if (!url || !dataDir || !idsArg) throw new Error('usage: burst-child <url> <dataDir> <id,id,...>');
const ids = idsArg.split(',').map(Number);
const rig = gantryRig(
  url,
  dataDir,
  ids.map((i) => servicePipeline(i)),
);
await rig.engine.status();
const before = rig.repos.stats();
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === 'go') break;
const results = await Promise.all(
  ids.map(async (i) => {
    const outcome = await promoteTo(rig, i, 'production', `multi-${i}`);
    return {
      i,
      kind: outcome.kind,
      promotionId: outcome.kind === 'promoted' ? outcome.promotionId : undefined,
      commit: outcome.kind === 'promoted' ? outcome.revision.id : undefined,
    };
  }),
);
const after = rig.repos.stats();
await rig.close();
process.stdout.write(
  `${JSON.stringify({ results, pushes: after.pushes - before.pushes, commits: after.commits - before.commits })}\n`,
);
process.exit(0);
