import type { PhaseStatus } from '@gantry/core';
import type { HoldChange } from '@gantry/lifecycle';
import type { Artifact, ArtifactOutcome, Hold, Promotion } from '@gantry/store';

/**
 * What the event stream carries: promotions as they move, phases as their state changes,
 * and pins and pauses as people (or a rollback) set and release them.
 */
export type GantryEvent =
  | { readonly type: 'promotion'; readonly promotion: Promotion }
  | { readonly type: 'phase'; readonly status: PhaseStatus }
  | { readonly type: 'hold'; readonly hold: Hold; readonly change: HoldChange }
  /** CI reported an artifact, or a step of its run moved on (a replay is not announced). */
  | { readonly type: 'artifact'; readonly artifact: Artifact; readonly outcome: ArtifactOutcome };

export interface EventBus {
  publish(event: GantryEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: GantryEvent) => void): () => void;
  readonly subscribers: number;
}

export function createEventBus(): EventBus {
  const listeners = new Set<(event: GantryEvent) => void>();
  return {
    publish(event) {
      for (const l of listeners) l(event);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get subscribers() {
      return listeners.size;
    },
  };
}
