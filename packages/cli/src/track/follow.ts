import type { Duration } from '@gantry/core';
import { GantryError } from '@gantry/core';
import type { Clock } from './clock.js';
import type { PromotionMatch, PromotionUpdate, TrackSource } from './source.js';
import type { TrackedPromotion, TrackStep, Verdict } from './steps.js';
import { stepKey, stepsOf, verdictOf } from './steps.js';

/** The promotion to follow: by id, or the one of a phase (to a digest or commit, else the newest). */
export type TrackTarget =
  | { readonly id: string }
  | { readonly pipeline: string; readonly phase: string; readonly match: PromotionMatch };

export interface FollowOptions {
  readonly target: TrackTarget;
  readonly timeout: Duration;
  readonly clock: Clock;
  /** Each new step, in order, as it is first seen. */
  readonly onStep: (step: TrackStep, p: TrackedPromotion) => void;
  /** Tracking a phase whose promotion is not recorded yet: called once, while it waits for it. */
  readonly onWaiting?: (pipeline: string, phase: string, match: PromotionMatch) => void;
  /** Only verification runs from this one on are reported and decide (`gantry verify`). */
  readonly minRun?: number;
  /** `gantry verify`: the new run's verdict decides even after a deployer failure. */
  readonly rerun?: boolean;
  /** Stops following (its caller gave up): ends like a timeout. */
  readonly signal?: AbortSignal;
}

export type FollowResult =
  | { readonly kind: 'verdict'; readonly verdict: Verdict; readonly promotion: TrackedPromotion }
  | { readonly kind: 'timeout'; readonly promotion?: TrackedPromotion };

/**
 * Follows one promotion until it reaches a verdict or the timeout: reads it, reports the steps
 * not reported yet, and waits for the source to say something changed. The source must be
 * open before this reads, so no change between the read and the wait is lost.
 */
export async function followPromotion(source: TrackSource, o: FollowOptions): Promise<FollowResult> {
  const started = o.clock.now();
  const deadline = started + o.timeout.ms;
  const stop = new AbortController();
  let timedOut = false;
  const giveUp = () => {
    if (!stop.signal.aborted) {
      timedOut = true;
      stop.abort();
    }
  };
  void o.clock.sleep(o.timeout.ms, stop.signal).then(giveUp);
  o.signal?.addEventListener('abort', giveUp, { once: true });
  if (o.signal?.aborted) giveUp();
  const reported = new Set<string>();
  let verification: boolean | undefined;
  let current: TrackedPromotion | undefined;
  let waitingSaid = false;

  /** Reports the steps `p` shows that were not reported yet; the verdict, when it has one. */
  const report = async (p: TrackedPromotion, withChecks: boolean): Promise<FollowResult | undefined> => {
    // asked once pushed: only then does a server's phase show whether it verifies this version
    if (verification === undefined && p.state === 'succeeded') {
      verification =
        p.deployment !== undefined ||
        p.verification !== undefined ||
        (await source.hasVerification(p.pipeline, p.phase));
    }
    const v = p.verification;
    const checks =
      withChecks && v !== undefined && v.run >= (o.minRun ?? 1) && v.state !== 'pending'
        ? await source.checks(p.id, v.run)
        : [];
    for (const step of stepsOf(p, checks, o.minRun)) {
      const key = stepKey(step);
      if (reported.has(key)) continue;
      reported.add(key);
      o.onStep(step, p);
    }
    const verdict = verdictOf(p, {
      hasVerification: verification ?? true,
      ...(o.minRun !== undefined ? { minRun: o.minRun } : {}),
      ...(o.rerun ? { rerun: true } : {}),
    });
    return verdict ? { kind: 'verdict', verdict, promotion: p } : undefined;
  };

  try {
    let updates: readonly PromotionUpdate[] = [];
    for (;;) {
      // what the event stream carried, in order: a state the next read no longer shows (applied
      // before healthy, a moment degraded) is reported, and decides, too
      for (const u of updates) {
        if (!current || u.id !== current.id) continue;
        const ended = u.verification?.state === 'verified' || u.verification?.state === 'failed';
        const done = await report({ ...u, events: current.events }, ended);
        if (done) return done;
      }
      current = await read(source, o.target, current?.id);
      if (current) {
        const done = await report(current, true);
        if (done) return done;
      } else if ('id' in o.target) {
        throw new GantryError('unknown_promotion', `no promotion ${o.target.id} is recorded`, { id: o.target.id });
      } else if (!waitingSaid) {
        waitingSaid = true;
        o.onWaiting?.(o.target.pipeline, o.target.phase, o.target.match);
      }
      if (timedOut || o.clock.now() >= deadline) return timeout(current);
      const about = current ?? ('id' in o.target ? undefined : o.target);
      updates = await source.changed(stop.signal, about && { pipeline: about.pipeline, phase: about.phase });
      if (timedOut) return timeout(current);
    }
  } finally {
    o.signal?.removeEventListener('abort', giveUp);
    stop.abort();
  }
}

const timeout = (promotion: TrackedPromotion | undefined): FollowResult =>
  promotion ? { kind: 'timeout', promotion } : { kind: 'timeout' };

/** Once found, a phase's promotion is followed by its id: a newer one does not replace it. */
async function read(source: TrackSource, target: TrackTarget, foundId: string | undefined) {
  if ('id' in target) return source.read(target.id);
  if (foundId !== undefined) return source.read(foundId);
  return source.find(target.pipeline, target.phase, target.match);
}
