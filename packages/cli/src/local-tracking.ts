import type { PhaseStatus, PipelineStatus, System } from '@gantry/core';
import { findPhase, findPipeline, hasVerification } from '@gantry/core';
import type { PromotionDeployment, PromotionVerification, Store } from '@gantry/store';

/** A phase's status with what became of its current version after the push: the API's PhaseStatus. */
export type LocalPhaseStatus = PhaseStatus & {
  readonly promotionId?: string;
  readonly deployment?: PromotionDeployment;
  readonly verification?: PromotionVerification;
  /** The phase's open pull request, as the server's status shows it. */
  readonly proposal?: {
    readonly promotionId: string;
    readonly version: string;
    readonly provider: 'github' | 'gitlab';
    readonly number: number;
    readonly url: string;
    readonly checks?: {
      readonly state: 'pending' | 'success' | 'failure';
      readonly total: number;
      readonly passed: number;
    };
  };
};

/**
 * Adds to each phase the deployment and verification of the promotion that brought its current
 * version (the newest succeeded one of the phase to its digest), as the server's state cache
 * does: `pending` until the deployer reports or a run starts; nothing when the version did not
 * come through a promotion (a commit by hand, a registry phase).
 */
export async function withDeployments(
  system: System,
  store: Pick<Store, 'committedPromotions'>,
  statuses: readonly PipelineStatus[],
): Promise<Array<Omit<PipelineStatus, 'phases'> & { phases: LocalPhaseStatus[] }>> {
  return Promise.all(
    statuses.map(async (s) => ({
      ...s,
      phases: await Promise.all(
        s.phases.map(async (ph): Promise<LocalPhaseStatus> => {
          if (!ph.writable || !ph.digest) return ph;
          const p = (await store.committedPromotions(ph.pipeline, ph.phase)).find((x) => x.toDigest === ph.digest);
          if (!p) return ph;
          const phase = findPhase(findPipeline(system, ph.pipeline), ph.phase);
          const deployment =
            p.deployment ?? (phase.deployer ? { state: 'pending' as const, at: p.updatedAt } : undefined);
          const verification =
            p.verification ??
            (hasVerification(phase) ? { state: 'pending' as const, at: p.updatedAt, run: 0 } : undefined);
          return {
            ...ph,
            promotionId: p.id,
            ...(deployment ? { deployment } : {}),
            ...(verification ? { verification } : {}),
          };
        }),
      ),
    })),
  );
}

/**
 * Adds to each phase its open pull request (the newest promotion in `proposed`), as the
 * server's status does; none once the phase runs the version it proposes.
 */
export async function withProposals<P extends { readonly phases: readonly LocalPhaseStatus[] }>(
  store: Pick<Store, 'openProposals'>,
  statuses: readonly P[],
): Promise<Array<Omit<P, 'phases'> & { phases: LocalPhaseStatus[] }>> {
  const open = await store.openProposals();
  return statuses.map((s) => ({
    ...s,
    phases: s.phases.map((ph): LocalPhaseStatus => {
      const o = open
        .filter((x) => x.promotion.pipeline === ph.pipeline && x.promotion.phase === ph.phase)
        .at(-1)?.promotion;
      if (!o?.proposal || o.toDigest === ph.digest) return ph;
      return {
        ...ph,
        proposal: {
          promotionId: o.id,
          version: o.toVersion,
          provider: o.proposal.provider,
          number: o.proposal.number,
          url: o.proposal.url,
          ...(o.proposal.checks ? { checks: o.proposal.checks } : {}),
        },
      };
    }),
  }));
}
