import { ApiProblemError } from '@gantry/client';
import type { HoldView } from '../gates/hold-view.js';
import { holdsOnPhase } from '../gates/hold-view.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { hasRuntimeStore, openRuntimeStore } from '../runtime-store.js';
import { withDeployments, withProposals } from '../local-tracking.js';
import { progress } from '../progress.js';
import { remoteClient } from '../remote.js';
import type { GlobalOptions } from '../runtime.js';
import { withRuntime } from '../runtime.js';
import type { StatusRow, StatusTableInput } from '../status-table.js';
import { formatStatusTable } from '../status-table.js';

export interface StatusFlags {
  readonly json?: boolean;
  /** Remote mode: the server's last observation instead of a fresh read. */
  readonly cached?: boolean;
}

type PipelineRows = StatusTableInput & { readonly phases: readonly (StatusRow & { readonly source?: string })[] };

/** Each phase something promotes into gets the pins and pauses in force on it (none hold a source phase). */
function withHolds<P extends PipelineRows>(pipelines: readonly P[], holds: readonly HoldView[]) {
  return pipelines.map((p) => ({
    ...p,
    phases: p.phases.map((ph) =>
      ph.state === 'source' ? ph : { ...ph, holds: holdsOnPhase(holds, p.pipeline, ph.phase) },
    ),
  }));
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
    const [pipelines, holds] = await Promise.all([
      pipeline === undefined
        ? client.listPipelines(read).then((l) => l.pipelines)
        : client.getPipeline(pipeline, read).then((p) => [p]),
      client
        .holds(pipeline !== undefined ? { pipeline } : {})
        // a server from before pins and pauses has no such route: it holds nothing
        .catch((e: unknown) => {
          if (e instanceof ApiProblemError && e.code === 'not_found') return { items: [] };
          throw e;
        }),
    ]);
    return withHolds(pipelines, holds.items);
  }
  return withRuntime(io, g, async (rt) => {
    const statuses = await rt.engine.status(pipeline);
    // what the store recorded after the push, and the holds: a store that cannot be opened costs only those
    // none yet (nothing promoted, nothing served): nothing to show, and nothing to create
    const store = !hasRuntimeStore(rt)
      ? undefined
      : await openRuntimeStore(rt).catch((e: unknown) => {
          io.err(`warning: no deployment, verification or holds shown: ${(e as Error).message}\n`);
          return undefined;
        });
    if (!store) return statuses;
    try {
      const [tracked, holds] = await Promise.all([
        withDeployments(rt.system, store, statuses).then((t) => withProposals(store, t)),
        store.activeHolds(pipeline),
      ]);
      return withHolds(tracked, holds);
    } finally {
      await store.close();
    }
  });
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
