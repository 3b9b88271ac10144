import type { PhaseDeployer } from '@gantry/core';
import type { DeploymentEvent } from '@gantry/deployments';
import { matchesDeployer } from '@gantry/deployments';
import type { DeployerEventRecord, Promotion, PromotionDeployment } from '@gantry/store';
import type { LifecycleOptions } from './ports.js';
import type { Verifier } from './verification.js';

/** What became of one deployer report. */
export interface Ingested {
  /** The same report was recorded before: acknowledged, nothing done again. */
  readonly duplicate: boolean;
  readonly event: DeployerEventRecord;
  /** Promotions whose deployment state this report settled. */
  readonly settled: readonly Promotion[];
}

export type TrackerOptions = Pick<
  LifecycleOptions,
  'engine' | 'store' | 'logger' | 'clock' | 'ancestry' | 'onDeployment'
> & {
  readonly publish: (p: Promotion) => void;
  readonly verifier: Verifier;
};

/** States a report settles a promotion into; `progressing` is recorded but settles nothing. */
const SETTLING = new Set(['applied', 'healthy', 'failed', 'degraded']);

/**
 * Deployment tracking: a deployer's report for commit X settles the deployment state of
 * every promotion of the matched phases whose commit X contains (ancestry from Git, not
 * string equality). A report nobody's deployer names is recorded as unmatched (for the
 * user to fix their mapping) and changes nothing.
 */
export function createTracker(o: TrackerOptions) {
  const now = () => (o.clock ?? (() => new Date()))();

  const phasesFor = (event: DeploymentEvent) =>
    o.engine.system.pipelines.flatMap((p) =>
      p.phases
        .filter((ph) => ph.deployer !== undefined && matchesDeployer(ph.deployer as PhaseDeployer, event))
        .map((ph) => ({ pipeline: p.name, phase: ph.name })),
    );

  /** Whether the report's commit contains the promotion's commit. */
  const contains = async (pipeline: string, phase: string, promotionCommit: string, reported: string) => {
    if (promotionCommit === reported || promotionCommit.startsWith(reported) || reported.startsWith(promotionCommit))
      return true;
    if (!o.ancestry) return false;
    return o.ancestry(pipeline, phase, promotionCommit, reported).catch((e: unknown) => {
      o.logger.warn({ pipeline, phase, promotionCommit, reported, err: String(e) }, 'ancestry check failed');
      return false;
    });
  };

  async function settle(pipeline: string, phase: string, event: DeploymentEvent, record: DeployerEventRecord) {
    const commit = event.revision?.commit ?? event.revision?.originRevision?.match(/[0-9a-f]{40}/)?.[0];
    if (!commit || !SETTLING.has(event.state)) return [];
    const settled: Promotion[] = [];
    const candidates = await o.store.committedPromotions(pipeline, phase);
    const state = event.state as PromotionDeployment['state'];
    // newest first: once one promotion is in X, every older one of the phase's branch is too
    let inX = false;
    for (const [i, p] of candidates.entries()) {
      const current = p.deployment;
      if (current?.state === state && current.commit === commit) {
        // the periodic "still healthy": this report changes nothing here, nor further down
        if (inX || p.commitSha === commit) break;
        continue;
      }
      // an older promotion already settled by a report on its own commit keeps its state
      if (i > 0 && current && current.commit !== commit && current.state !== 'applied') {
        if (inX) break;
        continue;
      }
      inX ||= await contains(pipeline, phase, p.commitSha as string, commit);
      if (!inX) continue;
      const at = now().toISOString();
      const next: PromotionDeployment = {
        state,
        at,
        message: event.message,
        deployer: event.deployer,
        eventId: record.id,
        commit,
        ...(state === 'healthy'
          ? { healthySince: current?.state === 'healthy' ? (current.healthySince ?? at) : at }
          : {}),
      };
      const saved = await o.store.setDeployment(p.id, next);
      o.publish(saved);
      o.onDeployment?.(saved);
      settled.push(saved);
      if (state === 'healthy' && (!saved.verification || saved.verification.state === 'pending')) {
        void o.verifier.start(saved);
      }
      if ((state === 'failed' || state === 'degraded') && saved.verification?.state !== 'verified') {
        await failVerification(saved, `the deployer reported ${state}: ${event.message}`);
      }
    }
    return settled;
  }

  async function failVerification(p: Promotion, reason: string) {
    const run = p.verification?.run ?? 1;
    const saved = await o.store.setVerification(p.id, {
      state: 'failed',
      at: now().toISOString(),
      run,
      failed: ['deployer'],
      reason,
    });
    if (saved) o.publish(saved);
  }

  return {
    async ingest(event: DeploymentEvent): Promise<Ingested> {
      const matched = phasesFor(event);
      const { fresh, event: record } = await o.store.recordDeployerEvent({
        key: event.idempotencyKey,
        deployer: event.deployer,
        object: event.object,
        ...(event.revision ? { revision: event.revision.raw } : {}),
        ...(event.revision?.commit ? { commit: event.revision.commit } : {}),
        state: event.state,
        reason: event.reason,
        message: event.message,
        occurredAt: event.occurredAt.toISOString(),
        matched: matched.map((m) => `${m.pipeline}/${m.phase}`),
      });
      if (!fresh) return { duplicate: true, event: record, settled: [] };
      const settled: Promotion[] = [];
      for (const m of matched) settled.push(...(await settle(m.pipeline, m.phase, event, record)));
      if (matched.length === 0)
        o.logger.info({ object: event.object, deployer: event.deployer }, 'deployer event matches no phase');
      return { duplicate: false, event: record, settled };
    },
  };
}

export type Tracker = ReturnType<typeof createTracker>;
