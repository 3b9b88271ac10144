import type { StoreContext } from './store-context.js';
import { clampLimit, decodeCursor, parseInput, toPage, toAuditEntry } from './rows.js';
import { newAuditEntrySchema } from './types.js';
import type { AuditEntry, NewAuditEntry, Page } from './types.js';

const CURSOR_TAG = 'a';

export async function recordAudit(ctx: StoreContext, input: NewAuditEntry): Promise<AuditEntry> {
  const e = parseInput(newAuditEntrySchema, input, 'audit entry');
  const row = await ctx.db
    .insertInto('audit_log')
    .values({
      at: ctx.now().toISOString(),
      actor: e.actor,
      action: e.action,
      subject: e.subject,
      detail: JSON.stringify(e.detail ?? {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAuditEntry(row);
}

/** Newest first, keyset-paginated like promotions. */
export async function listAudit(ctx: StoreContext, q: { limit?: number; cursor?: string }): Promise<Page<AuditEntry>> {
  const limit = clampLimit(q.limit);
  let query = ctx.db.selectFrom('audit_log').selectAll();
  if (q.cursor !== undefined) query = query.where('seq', '<', decodeCursor(CURSOR_TAG, q.cursor));
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(limit + 1)
    .execute();
  return toPage(CURSOR_TAG, rows, limit, toAuditEntry);
}
