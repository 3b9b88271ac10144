/** What the CLI shows of a pin or a pause: the store's Hold and the API's JSON both fit. */
export interface HoldView {
  readonly pipeline: string;
  readonly phase?: string;
  readonly kind: 'pin' | 'pause';
  readonly actor: string;
  readonly reason: string;
  readonly digest?: string;
  readonly at: string;
}

const shortDigest = (d: string) => d.replace(/^sha256:/, '').slice(0, 12);

/** `app/staging pinned at 1a2b3c4d5e6f by alice (rollback to app@...)`, `pipeline app paused by bob (incident)`. */
export function describeHoldView(h: HoldView): string {
  const where = h.phase === undefined ? `pipeline ${h.pipeline}` : `${h.pipeline}/${h.phase}`;
  const at = h.kind === 'pin' && h.digest ? ` at ${shortDigest(h.digest)}` : '';
  return `${where} ${h.kind === 'pin' ? 'pinned' : 'paused'}${at} by ${h.actor} since ${h.at.slice(0, 19).replace('T', ' ')}: ${h.reason}`;
}

/** The command that releases it. */
export function releaseCommand(h: HoldView): string {
  return h.kind === 'pin'
    ? `gantry unpin ${h.pipeline} ${h.phase ?? ''}`.trimEnd()
    : `gantry resume ${h.pipeline}${h.phase === undefined ? '' : ` ${h.phase}`}`;
}

/** The holds in force on one phase: its own, and a pause of its whole pipeline. */
export const holdsOnPhase = <H extends HoldView>(holds: readonly H[], pipeline: string, phase: string): H[] =>
  holds.filter((h) => h.pipeline === pipeline && (h.phase === undefined || h.phase === phase));
