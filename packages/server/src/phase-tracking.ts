import type { Logger, Phase, PhaseStatus, PipelineStatus, System } from '@gantry/core';
import { hasVerification } from '@gantry/core';
import type { Promotion, PromotionDeployment, PromotionVerification } from '@gantry/store';

/** Where a phase's promotions are recorded: the store. */
export interface PromotionLookup {
  /** Succeeded promotions of the phase that wrote a commit, newest first. */
  committedPromotions(pipeline: string, phase: string, limit?: number): Promise<Promotion[]>;
  /** Promotions in `proposed` with their open pull request (read once; events keep them current). */
  openProposals?(): Promise<ReadonlyArray<{ readonly promotion: Promotion }>>;
}

/** A phase's open proposal, as the status shows it. */
export interface PhaseProposal {
  readonly promotionId: string;
  readonly version: string;
  readonly provider: 'github' | 'gitlab';
  readonly number: number;
  readonly url: string;
  readonly checks?: NonNullable<Promotion['proposal']>['checks'];
}

/** A phase's status with what became of its current version after the push (the API's PhaseStatus). */
export type TrackedPhaseStatus = PhaseStatus & {
  /** The promotion that brought the current version. */
  readonly promotionId?: string;
  readonly deployment?: PromotionDeployment;
  /** `run: 0` while pending: no run has started. */
  readonly verification?: PromotionVerification;
  /** The phase's open pull request, while one is open. */
  readonly proposal?: PhaseProposal;
};

export interface PhaseTracking {
  /** Finds the promotion behind each phase whose version changed since it last looked (one store read per change). */
  observe(status: PipelineStatus): Promise<void>;
  /** A promotion as it changed: true when it is (now) the one behind its phase's current version. */
  promotionChanged(p: Promotion, current: PhaseStatus | undefined): boolean;
  /** The status with the deployment and verification of the promotion behind its version. */
  apply(status: PhaseStatus): TrackedPhaseStatus;
}

interface Known {
  readonly digest: string;
  readonly promotion: Promotion | undefined;
}

const later = (a: Promotion, b: Promotion) => (a.id === b.id ? a.updatedAt > b.updatedAt : a.createdAt > b.createdAt);

/**
 * Which promotion brought each phase's current version: the newest succeeded one of the phase
 * whose `toDigest` is the version's digest (none when the version came another way, e.g. a
 * commit by hand). Looked up once when the version changes, then kept current from promotion
 * events, so serving a status costs no store read.
 */
export function createPhaseTracking(system: System, lookup: PromotionLookup, logger: Logger): PhaseTracking {
  const known = new Map<string, Known>();
  /** Promotion events seen per phase: a store read they overlapped may predate them, and is read again. */
  const touched = new Map<string, number>();
  const phases = new Map<string, Phase>(
    system.pipelines.flatMap((p) => p.phases.map((ph) => [`${p.name}/${ph.name}`, ph] as const)),
  );

  /** Keeps the newer of two views of one phase's version. */
  const remember = (key: string, next: Known) => {
    const now = known.get(key);
    if (now?.digest === next.digest && now.promotion && (!next.promotion || later(now.promotion, next.promotion)))
      return;
    known.set(key, next);
  };

  /** Open proposals per phase: the promotion in `proposed` (the newest, should two overlap). */
  const proposed = new Map<string, Promotion>();
  let proposalsLoaded: Promise<void> | undefined;
  const noteProposal = (p: Promotion) => {
    const key = `${p.pipeline}/${p.phase}`;
    if (p.state === 'proposed' && p.proposal?.state === 'open') {
      const now = proposed.get(key);
      if (!now || now.id === p.id || p.createdAt >= now.createdAt) proposed.set(key, p);
    } else if (proposed.get(key)?.id === p.id) proposed.delete(key);
  };
  const loadProposals = () => {
    proposalsLoaded ??= (lookup.openProposals?.() ?? Promise.resolve([]))
      .then((open) => {
        for (const o of open) noteProposal(o.promotion);
      })
      .catch((e: unknown) => {
        proposalsLoaded = undefined;
        logger.warn({ err: String(e) }, 'reading open proposals failed');
      });
    return proposalsLoaded;
  };

  const find = async (pipeline: string, phase: string, digest: string) =>
    (await lookup.committedPromotions(pipeline, phase)).find((p) => p.toDigest === digest);

  return {
    async observe(status) {
      await loadProposals();
      await Promise.all(
        status.phases.map(async (ph) => {
          const key = `${ph.pipeline}/${ph.phase}`;
          if (!ph.writable || !ph.digest) {
            known.delete(key);
            return;
          }
          if (known.get(key)?.digest === ph.digest) return;
          try {
            let found: Promotion | undefined;
            for (let attempt = 0; attempt < 3; attempt++) {
              const seen = touched.get(key) ?? 0;
              found = await find(ph.pipeline, ph.phase, ph.digest);
              if ((touched.get(key) ?? 0) === seen) break;
            }
            remember(key, { digest: ph.digest, promotion: found });
          } catch (e) {
            // shown without tracking until the next refresh looks again
            logger.warn({ pipeline: ph.pipeline, phase: ph.phase, err: String(e) }, 'reading promotions failed');
          }
        }),
      );
    },
    promotionChanged(p, current) {
      const key = `${p.pipeline}/${p.phase}`;
      touched.set(key, (touched.get(key) ?? 0) + 1);
      const hadProposal = proposed.get(key);
      noteProposal(p);
      if (proposed.get(key) !== hadProposal) return true;
      if (p.state !== 'succeeded' || !p.commitSha || current?.digest !== p.toDigest) return false;
      const before = known.get(key);
      remember(key, { digest: p.toDigest, promotion: p });
      return known.get(key) !== before;
    },
    apply(status) {
      const key = `${status.pipeline}/${status.phase}`;
      const k = known.get(key);
      const open = proposed.get(key);
      const p = k && k.digest === status.digest ? k.promotion : undefined;
      const shown = open?.proposal && open.toDigest !== status.digest;
      const t = status as TrackedPhaseStatus;
      // nothing to add and nothing to take off (most phases of a fleet, at every reconcile): as it is
      if (!p && !shown && !t.promotionId && !t.deployment && !t.verification && !t.proposal) return status;
      const { promotionId: _i, deployment: _d, verification: _v, proposal: _p, ...bare } = t;
      const phase = phases.get(key);
      const plain: TrackedPhaseStatus =
        shown && open?.proposal
          ? {
              ...bare,
              proposal: {
                promotionId: open.id,
                version: open.toVersion,
                provider: open.proposal.provider,
                number: open.proposal.number,
                url: open.proposal.url,
                ...(open.proposal.checks ? { checks: open.proposal.checks } : {}),
              },
            }
          : bare;
      if (!p || !phase) return plain;
      // nothing reported or run yet: pending since the promotion succeeded
      const deployment = p.deployment ?? (phase.deployer ? { state: 'pending' as const, at: p.updatedAt } : undefined);
      const verification =
        p.verification ?? (hasVerification(phase) ? { state: 'pending' as const, at: p.updatedAt, run: 0 } : undefined);
      return {
        ...plain,
        promotionId: p.id,
        ...(deployment ? { deployment } : {}),
        ...(verification ? { verification } : {}),
      };
    },
  };
}
