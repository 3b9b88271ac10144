import type { ApiHistory } from '@gantry/server';
import { withConfiguredStore } from '../configured-store.js';
import type { Io } from '../io.js';
import { EXIT } from '../io.js';
import { toJson } from '../json.js';
import { remoteClient } from '../remote.js';
import type { GlobalOptions } from '../runtime.js';

export interface HistoryFlags {
  readonly json?: boolean;
  readonly limit?: string;
  readonly cursor?: string;
}

/** Reads the history a server recorded: over HTTP in remote mode, else from its store in the data directory. */
async function readHistory(
  io: Io,
  g: GlobalOptions,
  pipeline: string,
  phase: string | undefined,
  o: HistoryFlags,
): Promise<ApiHistory> {
  const query = {
    ...(phase !== undefined ? { phase } : {}),
    ...(o.cursor !== undefined ? { cursor: o.cursor } : {}),
    limit: Number(o.limit ?? 20),
  };
  const client = remoteClient(io);
  if (client) return client.history(pipeline, query);
  return withConfiguredStore(io, g, (store) => store.listPromotions({ pipeline, ...query }));
}

export async function historyCommand(
  io: Io,
  g: GlobalOptions,
  pipeline: string,
  phase: string | undefined,
  o: HistoryFlags,
): Promise<number> {
  const page = await readHistory(io, g, pipeline, phase, o);
  if (o.json) {
    io.out(toJson(page));
    return EXIT.ok;
  }
  const rows = page.items.map((p) => [
    p.createdAt.replace('T', ' ').slice(0, 19),
    p.phase,
    `${p.fromVersion ?? '(none)'} -> ${p.toVersion}`,
    p.state,
    p.trigger.kind === 'person' ? p.trigger.actor : p.trigger.kind,
    p.commitSha?.slice(0, 7) ?? '-',
    // why it was asked for (the person's words, or where the version came from), then why it failed
    `${p.reason}${p.error ? `; error ${p.error.code}: ${p.error.message}` : ''}`,
  ]);
  const header = ['WHEN', 'PHASE', 'VERSION', 'STATE', 'BY', 'COMMIT', 'REASON'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const r of [header, ...rows])
    io.out(
      `${r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd()}\n`,
    );
  if (page.nextCursor) io.out(`more: --cursor ${page.nextCursor}\n`);
  return EXIT.ok;
}
