/** A pin or a pause as the API describes it (schema `Hold`); only what the views read. */
export interface HoldLike {
  readonly pipeline: string;
  /** Absent: the whole pipeline is paused. */
  readonly phase?: string | undefined;
  readonly kind: 'pin' | 'pause';
  readonly actor: string;
  readonly reason: string;
  readonly at: string;
  readonly releasedAt?: string | undefined;
}

/** `pinned by ann: rollback to app@1.2`, `paused by bob: incident 42`, `pipeline paused by carol: …`. */
export function holdText(h: HoldLike): string {
  return `${h.phase === undefined ? 'pipeline ' : ''}${h.kind === 'pin' ? 'pinned' : 'paused'} by ${h.actor}: ${h.reason}`;
}

/** The holds in force on a phase: its pin, its pause, and a pause of its whole pipeline. */
export function holdsOnPhase<H extends HoldLike>(holds: readonly H[], pipeline: string, phase: string): H[] {
  return holds.filter(
    (h) => h.pipeline === pipeline && (h.phase === undefined || h.phase === phase) && h.releasedAt === undefined,
  );
}

/** What a hold means for automation, for a tooltip. */
export function holdEffect(h: HoldLike): string {
  return h.kind === 'pin'
    ? 'Automation leaves this phase at its version until someone unpins it; a person may still promote.'
    : `Automation moves nothing in this ${h.phase === undefined ? 'pipeline' : 'phase'} until someone resumes it; a person may still promote.`;
}
