import type { ApiEvent, ApiHold } from '@gantry/api';

type HoldEvent = Extract<ApiEvent, { type: 'hold' }>;

const sameSpot = (a: ApiHold, b: ApiHold) => a.kind === b.kind && a.pipeline === b.pipeline && a.phase === b.phase;

/**
 * A `hold` event folded into the holds in force (oldest first, as `GET /holds` lists them):
 * a set hold replaces any earlier one of its kind on the same phase or pipeline, as the server
 * does; a released one leaves. The same list when nothing changes, so a view re-renders only
 * for news.
 */
export function applyHoldEvent(items: readonly ApiHold[], e: HoldEvent): readonly ApiHold[] {
  if (e.change === 'released' || e.hold.releasedAt !== undefined) {
    const rest = items.filter((h) => h.id !== e.hold.id);
    return rest.length === items.length ? items : rest;
  }
  if (items.some((h) => h.id === e.hold.id)) return items;
  return [...items.filter((h) => !sameSpot(h, e.hold)), e.hold];
}
