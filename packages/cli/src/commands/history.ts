import type { ApiHistory, ApiPromotion } from '@gantry/server';
import { runtimeProvenance, withPromotionLinks } from '@gantry/server';
import type { Runtime } from '@gantry/config';
import type { Store } from '@gantry/store';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { remoteClient } from '../remote.js';
import type { GlobalOptions } from '../runtime.js';
import { openCliRuntime } from '../runtime.js';
import { withConfiguredStore } from '../configured-store.js';
import { openRuntimeStore } from '../runtime-store.js';

export interface HistoryFlags {
  readonly json?: boolean;
  readonly limit?: string;
  readonly cursor?: string;
}

/**
 * Reads the recorded promotions, whoever ran them (a server, or a local `gantry promote` on
 * the same data directory): over HTTP in remote mode, else from the store in the data directory.
 * Without a pipeline, every pipeline's.
 */
async function readHistory(
  io: Io,
  g: GlobalOptions,
  pipeline: string | undefined,
  phase: string | undefined,
  o: HistoryFlags,
): Promise<ApiHistory> {
  const query = {
    ...(phase !== undefined ? { phase } : {}),
    ...(o.cursor !== undefined ? { cursor: o.cursor } : {}),
    limit: Number(o.limit ?? 20),
  };
  const client = remoteClient(io);
  if (client) return pipeline === undefined ? client.allHistory(query) : client.history(pipeline, query);
  const list = (store: Store) =>
    pipeline === undefined ? store.listAllPromotions(query) : store.listPromotions({ pipeline, ...query });
  // the store's records are the API's promotions (the server answers with them as they are), with
  // the same pages of each (its commit, image, pull request) from the configuration's link templates;
  // those need the pipelines (which repository a phase writes), history itself only the store: a
  // configuration whose pipelines cannot be built now still shows what was recorded, without links
  let rt: Runtime;
  try {
    rt = await openCliRuntime(io, g, 'warn', { needsGit: false });
  } catch (e) {
    io.err(`warning: promotions shown without links: ${e instanceof Error ? e.message : String(e)}\n`);
    return withConfiguredStore(io, g, async (store) => (await list(store)) as unknown as ApiHistory);
  }
  try {
    const store = await openRuntimeStore(rt);
    try {
      const page = await list(store);
      const items = withPromotionLinks(rt.system, runtimeProvenance(rt).linker, page.items);
      return { ...page, items } as unknown as ApiHistory;
    } finally {
      await store.close();
    }
  } finally {
    await rt.close();
  }
}

/** Who or what asked: the person (a rollback says so), or the automation. */
function by(p: ApiPromotion): string {
  const t = p.trigger;
  switch (t.kind) {
    case 'person':
      return t.rollbackOf ? `${t.actor} (rollback)` : t.actor;
    case 'schedule':
      return `schedule ${t.schedule}`;
    case 'webhook':
      return `webhook ${t.source}`;
    case 'policy':
      return `policy ${t.policy}`;
  }
}

/** What the deployer reported and what verification concluded: `healthy/verified`, `-` before either. */
const outcome = (p: ApiPromotion): string =>
  p.deployment || p.verification ? `${p.deployment?.state ?? '-'}/${p.verification?.state ?? '-'}` : '-';

/** The history table: the same columns for local and server promotions, in either mode. */
export function historyTable(items: readonly ApiPromotion[], withPipeline: boolean): string {
  const rows = items.map((p) => [
    p.id.slice(0, 8),
    p.createdAt.replace('T', ' ').slice(0, 19),
    ...(withPipeline ? [p.pipeline] : []),
    p.phase,
    `${p.fromVersion ?? '(none)'} -> ${p.toVersion}`,
    by(p),
    p.state,
    outcome(p),
    p.commitSha?.slice(0, 7) ?? (p.proposal ? `#${p.proposal.number}` : '-'),
    // why it was asked for (the person's words, or where the version came from), its pull request, then why it failed
    `${p.reason}${p.proposal ? `; pull request #${p.proposal.number} ${p.proposal.state} ${p.proposal.url}` : ''}${p.error ? `; error ${p.error.code}: ${p.error.message}` : ''}`,
  ]);
  const header = [
    'ID',
    'WHEN',
    ...(withPipeline ? ['PIPELINE'] : []),
    'PHASE',
    'VERSION',
    'BY',
    'STATE',
    'DEPLOYED',
    'COMMIT',
    'REASON',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows]
    .map(
      (r) =>
        `${r
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

export async function historyCommand(
  io: Io,
  g: GlobalOptions,
  pipeline: string | undefined,
  phase: string | undefined,
  o: HistoryFlags,
): Promise<number> {
  const page = await readHistory(io, g, pipeline, phase, o);
  if (o.json) {
    io.out(toJson(page));
    return EXIT.ok;
  }
  io.out(historyTable(page.items, pipeline === undefined));
  if (page.nextCursor) io.out(`more: --cursor ${page.nextCursor}\n`);
  return EXIT.ok;
}
