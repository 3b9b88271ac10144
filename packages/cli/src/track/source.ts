import type { CheckStep, TrackedPromotion } from './steps.js';

/** A promotion as one change carried it: without its history of states. */
export type PromotionUpdate = Omit<TrackedPromotion, 'events'>;

/** Which promotion of a phase to follow: the one to this digest or commit, else the newest. */
export interface PromotionMatch {
  /** The promoted version's digest (`sha256:...`), or a prefix of it of 7 or more characters. */
  readonly digest?: string;
  /** The config commit Gantry wrote, or the promoted commit of a pipeline of Git commits; 7+ characters. */
  readonly commit?: string;
}

/**
 * Where `track` reads promotions and learns that they changed: a server (its event stream)
 * or the data directory's store (polled: without a server nobody streams changes).
 */
export interface TrackSource {
  /** Starts listening; resolves once changes from now on will be seen (before the first read). */
  open(): Promise<void>;
  /** The promotion with its recorded states; undefined for an unknown id. */
  read(id: string): Promise<TrackedPromotion | undefined>;
  /** The newest promotion of the phase matching `match` (any, without one); undefined when none is recorded. */
  find(pipeline: string, phase: string, match: PromotionMatch): Promise<TrackedPromotion | undefined>;
  /** The check results recorded for one verification run of the promotion. */
  checks(id: string, run: number): Promise<CheckStep[]>;
  /** Whether the phase verifies its versions (a deployer or checks); if not, pushed is the end. */
  hasVerification(pipeline: string, phase: string): Promise<boolean>;
  /**
   * Resolves when a promotion (of the phase `about`, when given) may have changed since the
   * last call, or when `signal` aborts; with the promotions as the changes carried them, in
   * order, when the source has them (a server's events), else none.
   */
  changed(signal: AbortSignal, about?: { pipeline: string; phase: string }): Promise<readonly PromotionUpdate[]>;
  close(): Promise<void>;
}

/** Whether `p` is the promotion `match` asks for. Digests and commits compare by prefix, without their `sha256:`/`git:` scheme. */
export function matchesPromotion(
  p: TrackedPromotion | Omit<TrackedPromotion, 'events'>,
  match: PromotionMatch,
): boolean {
  const bare = (s: string) => s.replace(/^[a-z0-9]+:/, '').toLowerCase();
  const prefixOf = (full: string | undefined, part: string) => full !== undefined && bare(full).startsWith(bare(part));
  if (match.digest !== undefined && !prefixOf(p.toDigest, match.digest)) return false;
  if (
    match.commit !== undefined &&
    !prefixOf(p.commitSha, match.commit) &&
    !(p.toDigest.startsWith('git:') && prefixOf(p.toDigest, match.commit))
  )
    return false;
  return true;
}
