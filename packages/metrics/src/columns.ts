import type { DeploymentRecord, PhaseDeployments, SourceTime, SourceTimeOrigin } from './types.js';

interface Columns {
  pipeline: string;
  phase: string;
  seq: number[];
  digest: string[];
  deployedAt: string[];
  rollback: boolean[];
  deploymentState: (string | null)[];
  deploymentAt: (string | null)[];
  verificationState: (string | null)[];
  verificationAt: (string | null)[];
  sourceAt: (string | null)[];
  sourceFrom: (SourceTimeOrigin | null)[];
}

/**
 * Records grouped by phase into columns, each with its version's source time looked up: the one
 * form the computation runs on.
 */
export function phasesOfRecords(
  deployments: readonly DeploymentRecord[],
  sourceTime: (pipeline: string, digest: string) => SourceTime | undefined,
): PhaseDeployments[] {
  const byPhase = new Map<string, Columns>();
  for (const d of deployments) {
    const key = `${d.pipeline}\u0000${d.phase}`;
    let c = byPhase.get(key);
    if (!c) {
      c = {
        pipeline: d.pipeline,
        phase: d.phase,
        seq: [],
        digest: [],
        deployedAt: [],
        rollback: [],
        deploymentState: [],
        deploymentAt: [],
        verificationState: [],
        verificationAt: [],
        sourceAt: [],
        sourceFrom: [],
      };
      byPhase.set(key, c);
    }
    const source = sourceTime(d.pipeline, d.digest);
    c.seq.push(d.seq);
    c.digest.push(d.digest);
    c.deployedAt.push(d.deployedAt);
    c.rollback.push(d.rollback === true);
    c.deploymentState.push(d.deployment?.state ?? null);
    c.deploymentAt.push(d.deployment?.at ?? null);
    c.verificationState.push(d.verification?.state ?? null);
    c.verificationAt.push(d.verification?.at ?? null);
    c.sourceAt.push(source?.at ?? null);
    c.sourceFrom.push(source?.from ?? null);
  }
  return [...byPhase.values()];
}
