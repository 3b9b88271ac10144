/** The parts of a phase's status the next phase is chosen by (local and remote status alike). */
export interface PhaseStanding {
  readonly phase: string;
  readonly writable: boolean;
  readonly state: string;
  readonly upstreams: ReadonlyArray<{ readonly phase: string; readonly digest?: string; readonly inSync: boolean }>;
}

export type NextPhase =
  | { readonly kind: 'in-sync' }
  /** `alsoBehind`: other phases behind at the same depth (a fan-out), promoted by naming them. */
  | { readonly kind: 'next'; readonly phase: string; readonly alsoBehind: readonly string[] };

/**
 * The phase `gantry promote <pipeline>` promotes, as `hamctl promote` finds the next
 * environment: the first phase, in pipeline order, whose upstream holds a version it does
 * not. Phases nearer the source come first; of several behind at the same depth the first
 * in order is chosen and the others are named. Phases in error say nothing either way.
 */
export function nextBehind(phases: readonly PhaseStanding[]): NextPhase {
  const depth = new Map<string, number>();
  for (const ph of phases) {
    // statuses come in topological order: every upstream's depth is known by now
    depth.set(
      ph.phase,
      ph.upstreams.length === 0 ? 0 : 1 + Math.max(...ph.upstreams.map((u) => depth.get(u.phase) ?? 0)),
    );
  }
  const behind = phases.filter(
    (ph) => ph.writable && ph.state !== 'error' && ph.upstreams.some((u) => u.digest !== undefined && !u.inSync),
  );
  const first = behind.reduce<PhaseStanding | undefined>(
    (best, ph) => (best === undefined || (depth.get(ph.phase) ?? 0) < (depth.get(best.phase) ?? 0) ? ph : best),
    undefined,
  );
  if (!first) return { kind: 'in-sync' };
  const level = depth.get(first.phase);
  return {
    kind: 'next',
    phase: first.phase,
    alsoBehind: behind.filter((ph) => ph !== first && depth.get(ph.phase) === level).map((ph) => ph.phase),
  };
}
