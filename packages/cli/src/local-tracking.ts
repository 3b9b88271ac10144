import type { PhaseStatus, PipelineStatus, System } from '@gantry/core';
import { findPhase, findPipeline, hasVerification } from '@gantry/core';
import type { PromotionDeployment, PromotionVerification, Store } from '@gantry/store';

/** A phase's status with what became of its current version after the push: the API's PhaseStatus. */
export type LocalPhaseStatus = PhaseStatus & {
  readonly promotionId?: string;
  readonly deployment?: PromotionDeployment;
  readonly verification?: PromotionVerification;
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
