import type { ApiChain, ApiGateVerdict, ApiHold, ApiPhaseStatus, ApiPipelineStatus, ApiPromotion } from '@gantry/api';

/** The digest a fixture phase runs unless told otherwise. */
export const fixtureDigest = 'sha256:a39103bbfedb0a1e910b503a76887b340743d9d946a8f1c34c3d68103cd6d0aa';

/** Test data shaped like the API's answers (used by unit and component tests only). */
export function phase(pipeline: string, name: string, o: Partial<ApiPhaseStatus> = {}): ApiPhaseStatus {
  return {
    pipeline,
    phase: name,
    labels: {},
    source: `git config:env/${name}/deployment.yaml`,
    writable: true,
    state: 'in-sync',
    digest: fixtureDigest,
    version: 'app@a39103bbfedb',
    upstreams: [],
    ...o,
  };
}

export function pipelineStatus(
  name: string,
  labels: Record<string, string> = {},
  phases?: ApiPhaseStatus[],
): ApiPipelineStatus {
  return {
    pipeline: name,
    labels,
    phases: phases ?? [
      phase(name, 'oci', { state: 'source', writable: false }),
      phase(name, 'staging', { labels: { environment: 'staging' }, upstreams: [{ phase: 'oci', inSync: true }] }),
      phase(name, 'production', {
        labels: { environment: 'production' },
        upstreams: [{ phase: 'staging', inSync: true }],
      }),
    ],
  };
}

export function promotion(o: Partial<ApiPromotion> = {}): ApiPromotion {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    pipeline: 'app',
    phase: 'production',
    fromPhase: 'staging',
    fromDigest: 'sha256:1111111111111111',
    fromVersion: 'app@111111111111',
    toDigest: 'sha256:2222222222222222',
    toVersion: 'app@222222222222',
    target: { kind: 'oci-image' },
    trigger: { kind: 'person', actor: 'alice' },
    reason: 'staging is at app@222222222222',
    state: 'succeeded',
    commitSha: 'df71bd11087227d4b8ee139a83604112ae1cfd5a',
    attempts: 1,
    createdAt: '2026-01-01T10:00:00.000Z',
    updatedAt: '2026-01-01T10:00:02.500Z',
    ...o,
  };
}

/**
 * A gate verdict as the API records it: an approval gate waiting for two admins, unless
 * overridden (a test may change the kind and evidence freely).
 */
export function verdict(o: Record<string, unknown> = {}): ApiGateVerdict {
  return {
    gate: 'two-admins',
    kind: 'approval',
    outcome: 'wait',
    reason: '0 of 2 approvals',
    unblock: 'two more approvals from role admin',
    evidence: {
      required: 2,
      eligible: { minRole: 'admin', tokens: [], text: 'role admin' },
      requester: 'ann',
      approvers: [],
      rejections: [],
      ignored: [],
    },
    ...o,
  } as ApiGateVerdict;
}

/** A branch gate that lets only `main` through automatically, judging a hotfix build as automation would. */
export function branchVerdict(o: Record<string, unknown> = {}): ApiGateVerdict {
  return {
    gate: 'main-only',
    kind: 'branch',
    outcome: 'block',
    reason: 'built from hotfix/42: versions from branches other than main are released by hand only',
    unblock: 'release it by hand, or release a version built from main',
    evidence: { allowed: ['main'], manualOnly: true, manual: false, branch: 'hotfix/42' },
    ...o,
  } as ApiGateVerdict;
}

/** A pin as the API lists it. */
export function hold(o: Partial<ApiHold> = {}): ApiHold {
  return {
    id: 'h1',
    pipeline: 'app',
    phase: 'production',
    kind: 'pin',
    actor: 'ann',
    reason: 'rollback to app@1.2',
    digest: 'sha256:1111111111111111',
    at: '2026-01-01T10:00:00.000Z',
    ...o,
  };
}

/**
 * A version's chain as the API answers it: the image is known, nothing recorded how it was
 * built or applied (the shape a phase panel reads for a phase with no CI report or deployer).
 */
export function chain(pipeline: string, phaseName: string, digest: string, o: Partial<ApiChain> = {}): ApiChain {
  const version = `${pipeline}@${digest.replace(/^sha256:/, '').slice(0, 12)}`;
  return {
    pipeline,
    phase: phaseName,
    version,
    digest,
    current: true,
    links: {},
    chain: [
      { kind: 'source', state: 'unknown', summary: 'no CI report and no image labels name the source' },
      { kind: 'ci', state: 'unknown', summary: 'no CI report', steps: [] },
      { kind: 'image', state: 'done', summary: version, digest, version },
    ],
    ...o,
  };
}
