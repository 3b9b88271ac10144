import { setTimeout as sleep } from 'node:timers/promises';
import type { Phase } from '@gantry/core';
import { findPhase, findPipeline, hasVerification } from '@gantry/core';
import type { CheckResult } from '@gantry/checks';
import { CheckCancelledError, parseChecks, runChecks } from '@gantry/checks';
import type { Promotion, PromotionVerification } from '@gantry/store';
import { errorOf } from './errors.js';
import type { LifecycleOptions } from './ports.js';

/** Runs a promotion's verification: soak on the deployer's health, then the phase's checks, recorded. */
export interface Verifier {
  /** Starts (or re-runs) verification of a succeeded promotion; resolves with its verdict when done. */
  start(p: Promotion): Promise<Promotion | undefined>;
  /** Verifications a dead process left running: run them again. */
  resume(): Promise<void>;
  /** Stops running checks; their runs stay `running` in the store, for the next start to resume. */
  stop(): Promise<void>;
  /** Resolves when nothing runs. */
  idle(): Promise<void>;
}

export type VerifierOptions = Pick<
  LifecycleOptions,
  'engine' | 'store' | 'logger' | 'clock' | 'checkDeps' | 'onVerification'
> & { readonly publish: (p: Promotion) => void };

const phaseOf = (o: VerifierOptions, p: Promotion): Phase =>
  findPhase(findPipeline(o.engine.system, p.pipeline), p.phase);

export function createVerifier(o: VerifierOptions): Verifier {
  const now = () => (o.clock ?? (() => new Date()))();
  const abort = new AbortController();
  const running = new Map<string, Promise<Promotion | undefined>>();

  const record = async (p: Promotion, v: Omit<PromotionVerification, 'at'>): Promise<Promotion | undefined> => {
    const saved = await o.store.setVerification(p.id, { ...v, at: now().toISOString() });
    if (saved) {
      o.publish(saved);
      if (v.state === 'verified' || v.state === 'failed') o.onVerification?.(saved);
    }
    return saved;
  };

  async function run(p: Promotion, runNo: number): Promise<Promotion | undefined> {
    const phase = phaseOf(o, p);
    let current = await record(p, { state: 'running', run: runNo });
    if (!current) return undefined;
    const soak = phase.verify?.healthyFor;
    if (phase.deployer && soak && soak.ms > 0) {
      const since = Date.parse(current.deployment?.healthySince ?? now().toISOString());
      const wait = since + soak.ms - now().getTime();
      if (wait > 0) await sleep(wait, undefined, { signal: abort.signal });
      const after = await o.store.getPromotion(p.id);
      if (
        after?.deployment?.state !== 'healthy' ||
        after.deployment.healthySince !== current.deployment?.healthySince
      ) {
        return record(p, {
          state: 'failed',
          run: runNo,
          failed: ['deployer'],
          reason: `the deployer reported ${after?.deployment?.state ?? 'nothing'} within ${soak.ms} ms of healthy`,
        });
      }
      current = after;
    }
    const checks = parseChecks(phase.verify?.checks ?? [], ['verify', 'checks']);
    if (checks.length === 0) return record(current, { state: 'verified', run: runNo });
    const { verdict } = await runChecks(
      checks,
      {
        pipeline: p.pipeline,
        phase: p.phase,
        promotionId: p.id,
        version: p.toVersion,
        digest: p.toDigest,
        ...(p.fromVersion ? { fromVersion: p.fromVersion } : {}),
        ...(p.fromDigest ? { fromDigest: p.fromDigest } : {}),
        ...(p.fromPhase ? { upstream: p.fromPhase } : {}),
        ...(p.commitSha ? { commit: p.commitSha } : {}),
      },
      {
        ...o.checkDeps,
        signal: abort.signal,
        onResult: async (r: CheckResult) => {
          await o.store.recordCheckResult({ promotionId: p.id, run: runNo, name: r.name, result: { ...r } });
        },
      },
    );
    if (verdict.state === 'verified') return record(current, { state: 'verified', run: runNo });
    const failed = verdict.state === 'failed' ? verdict.failed.map((r) => r.name) : [];
    const reason =
      verdict.state === 'failed' ? verdict.failed.map((r) => `${r.name}: ${r.reason}`).join('; ') : verdict.state;
    return record(current, { state: 'failed', run: runNo, failed, reason });
  }

  const start = (p: Promotion): Promise<Promotion | undefined> => {
    if (!hasVerification(phaseOf(o, p)) || p.state !== 'succeeded') return Promise.resolve(undefined);
    const runNo = (p.verification?.run ?? 0) + 1;
    const job = run(p, runNo)
      .catch(async (e: unknown) => {
        // cancelled by shutdown: the run stays `running` and is resumed on the next start
        if (e instanceof CheckCancelledError || abort.signal.aborted) return undefined;
        o.logger.warn({ promotion: p.id, err: errorOf(e) }, 'verification could not complete');
        return record(p, { state: 'failed', run: runNo, failed: ['verification'], reason: errorOf(e).message });
      })
      .finally(() => {
        if (running.get(p.id) === job) running.delete(p.id);
      });
    running.set(p.id, job);
    return job;
  };

  return {
    start,
    async resume() {
      for (const p of await o.store.unfinishedVerifications()) if (!running.has(p.id)) void start(p);
    },
    async stop() {
      abort.abort();
      await Promise.allSettled([...running.values()]);
    },
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
  };
}
