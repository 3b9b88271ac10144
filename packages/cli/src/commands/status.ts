import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { progress } from '../progress.js';
import { remoteClient } from '../remote.js';
import type { GlobalOptions } from '../runtime.js';
import { withRuntime } from '../runtime.js';
import type { StatusTableInput } from '../status-table.js';
import { formatStatusTable } from '../status-table.js';

export interface StatusFlags {
  readonly json?: boolean;
  /** Remote mode: the server's last observation instead of a fresh read. */
  readonly cached?: boolean;
}

async function readStatus(
  io: Io,
  g: GlobalOptions,
  pipeline: string | undefined,
  o: StatusFlags,
): Promise<StatusTableInput[]> {
  const client = remoteClient(io);
  if (client) {
    // like local mode, read now; --cached answers from what the server last saw (no Git or registry calls)
    const read = { refresh: !o.cached };
    return pipeline === undefined
      ? (await client.listPipelines(read)).pipelines
      : [await client.getPipeline(pipeline, read)];
  }
  return withRuntime(io, g, (rt) => rt.engine.status(pipeline));
}

export async function statusCommand(
  io: Io,
  g: GlobalOptions,
  pipeline: string | undefined,
  o: StatusFlags,
): Promise<number> {
  const p = progress(io, `reading ${pipeline ?? 'all pipelines'}`);
  const status = await readStatus(io, g, pipeline, o).finally(() => p.done());
  io.out(o.json ? toJson(status) : formatStatusTable(status, io.color));
  // the table shows every phase; the exit code says whether all of them could be read
  const failed = status.flatMap((p) =>
    p.phases.filter((ph) => ph.state === 'error').map((ph) => `${p.pipeline}/${ph.phase}`),
  );
  if (failed.length === 0) return EXIT.ok;
  if (!o.json) io.err(`could not read ${failed.join(', ')}\n`);
  return EXIT.failed;
}
