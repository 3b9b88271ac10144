import type { Selectable } from 'kysely';
import { ValidationError } from '@gantry/core';
import type { z } from 'zod';
import type { PromotionState } from './promotion-state.js';
import type { ApiTokensTable, AuditLogTable, PromotionEventsTable, PromotionsTable } from './schema.js';
import type { AuditEntry, Page, Promotion, PromotionEvent, TokenRecord, TokenRole, Trigger } from './types.js';
import { InvalidCursorError } from './errors.js';

/** Row <-> record mapping; JSON columns are parsed here and nowhere else. */
export function toPromotion(r: Selectable<PromotionsTable>): Promotion {
  return {
    id: r.id,
    pipeline: r.pipeline,
    phase: r.phase,
    ...(r.from_phase !== null && { fromPhase: r.from_phase }),
    ...(r.from_digest !== null && { fromDigest: r.from_digest }),
    ...(r.from_version !== null && { fromVersion: r.from_version }),
    toDigest: r.to_digest,
    toVersion: r.to_version,
    target: JSON.parse(r.target) as Promotion['target'],
    trigger: JSON.parse(r.trigger) as Trigger,
    reason: r.reason,
    state: r.state as PromotionState,
    ...(r.commit_sha !== null && { commitSha: r.commit_sha }),
    attempts: r.attempts,
    ...(r.error !== null && { error: JSON.parse(r.error) as Promotion['error'] }),
    ...(r.claimed_by !== null && { claimedBy: r.claimed_by }),
    ...(r.deployment !== null && { deployment: JSON.parse(r.deployment) as Promotion['deployment'] }),
    ...(r.verification !== null && { verification: JSON.parse(r.verification) as Promotion['verification'] }),
    ...(r.gates !== null && { gates: JSON.parse(r.gates) as Promotion['gates'] }),
    ...(r.proposal !== null && { proposal: JSON.parse(r.proposal) as Promotion['proposal'] }),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toEvent(r: Selectable<PromotionEventsTable>): PromotionEvent {
  return { state: r.state as PromotionState, at: r.at, detail: JSON.parse(r.detail) as Record<string, unknown> };
}

export function toTokenRecord(r: Selectable<ApiTokensTable>): TokenRecord {
  return {
    id: r.id,
    name: r.name,
    role: r.role as TokenRole,
    createdAt: r.created_at,
    ...(r.revoked_at !== null && { revokedAt: r.revoked_at }),
  };
}

export function toAuditEntry(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  };
}

/** Parses input with a zod schema, throwing core's ValidationError with every issue. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, subject: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(
    subject,
    result.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })),
  );
}

/** Cursors are opaque to callers: a table tag and the last row's `seq`, base64url. */
export function encodeCursor(tag: string, seq: number): string {
  return Buffer.from(`${tag}:${seq}`).toString('base64url');
}

export function decodeCursor(tag: string, cursor: string): number {
  const m = /^([a-z]+):(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m || m[1] !== tag) throw new InvalidCursorError(cursor);
  return Number(m[2]);
}

export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return 50;
  return Math.min(500, Math.max(1, Math.floor(limit)));
}

/**
 * One newest-first page from rows fetched with `limit + 1`: the extra row only says
 * whether there is a next page, whose cursor is the last kept row's `seq`.
 */
export function toPage<Row extends { seq: number }, T>(
  tag: string,
  rows: readonly Row[],
  limit: number,
  map: (row: Row) => T,
): Page<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(map),
    ...(rows.length > limit && last && { nextCursor: encodeCursor(tag, last.seq) }),
  };
}
