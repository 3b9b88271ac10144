import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { progress } from '../progress.js';
import { remoteClient } from '../remote.js';
import type { GlobalOptions } from '../runtime.js';
import { withRuntime } from '../runtime.js';
import type { StatusTableInput } from '../status-table.js';
import { formatStatusTable } from '../status-table.js';

async function readStatus(io: Io, g: GlobalOptions, pipeline: string | undefined): Promise<StatusTableInput[]> {
  const client = remoteClient(io);
  if (client) {
    return pipeline === undefined ? (await client.listPipelines()).pipelines : [await client.getPipeline(pipeline)];
  }
  return withRuntime(io, g, (rt) => rt.engine.status(pipeline));
}

export async function statusCommand(
  io: Io,
  g: GlobalOptions,
  pipeline: string | undefined,
  o: { json?: boolean },
): Promise<number> {
  const p = progress(io, `reading ${pipeline ?? 'all pipelines'}`);
  const status = await readStatus(io, g, pipeline).finally(() => p.done());
  io.out(o.json ? toJson(status) : formatStatusTable(status, io.color));
  return EXIT.ok;
}
