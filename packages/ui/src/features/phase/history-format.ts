import type { ApiPromotion } from '@gantry/api';
import { formatDuration } from '../../shared/format.js';

const SETTLED = new Set(['succeeded', 'failed', 'superseded']);

export function isSettled(p: ApiPromotion): boolean {
  return SETTLED.has(p.state);
}

/**
 * Who or what asked: `alice`, `alice (rollback)`, `schedule nightly`, `webhook registry.example.com`,
 * `policy auto-promote`.
 */
export function describeTrigger(p: ApiPromotion): string {
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

/** `app@1111 -> app@2222`, or `(empty) -> app@2222` for a first release. */
export function describeChange(p: ApiPromotion): string {
  return `${p.fromVersion ?? '(empty)'} → ${p.toVersion}`;
}

/** How long it took (settled) or has been running (`now` given), from creation to the last change. */
export function promotionDuration(p: ApiPromotion, now: number = Date.now()): string {
  const start = Date.parse(p.createdAt);
  const end = isSettled(p) ? Date.parse(p.updatedAt) : now;
  return formatDuration(end - start);
}

/**
 * Whether a promotion is a rollback: its trigger names the promotion it reverts (a person's note
 * may be its reason); promotions recorded before that say so only in their reason.
 */
export function isRollback(p: ApiPromotion): boolean {
  return (p.trigger.kind === 'person' && p.trigger.rollbackOf !== undefined) || /^roll(ed)? ?back/i.test(p.reason);
}

/**
 * Rollback is offered on a succeeded promotion that wrote something other than what the phase
 * runs now: rolling back to the current version would change nothing.
 */
export function canRollBackTo(p: ApiPromotion, currentDigest: string | undefined): boolean {
  return p.state === 'succeeded' && p.toDigest !== currentDigest;
}

/**
 * A link to a promotion's commit, made from the link the repository gave for the phase's
 * current commit (e.g. `https://github.com/org/config/commit/<sha>`): the same URL with the
 * other commit id. Undefined when there is no such link to borrow.
 */
export function commitUrl(current: { id: string; url?: string } | undefined, sha: string): string | undefined {
  const url = current?.url;
  if (!current || !url?.includes(current.id)) return undefined;
  return url.replace(current.id, sha);
}
