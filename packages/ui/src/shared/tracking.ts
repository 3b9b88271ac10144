import type { ApiDeployment, ApiPhaseStatus, ApiVerification } from '@gantry/api';

/** How a phase's current version fares after the push, as words (never colour alone) and a tone for colour. */
export interface TrackingView {
  /** `healthy · verified`, `degraded`, `applied · verifying…`, `verification failed`. */
  readonly text: string;
  readonly tone: 'ok' | 'progress' | 'bad';
  /** The longer account, for a tooltip: messages and reasons. */
  readonly detail: string;
}

const DEPLOYMENT_TEXT: Readonly<Record<ApiDeployment['state'], string>> = {
  pending: 'not applied yet',
  applied: 'applied',
  healthy: 'healthy',
  failed: 'failed',
  degraded: 'degraded',
};

const VERIFICATION_TEXT: Readonly<Record<ApiVerification['state'], string>> = {
  pending: 'not verified yet',
  running: 'verifying…',
  verified: 'verified',
  failed: 'verification failed',
};

/** What the deployer's state word means, on its own. */
export const deploymentText = (d: ApiDeployment): string => DEPLOYMENT_TEXT[d.state];

export const verificationText = (v: ApiVerification): string => VERIFICATION_TEXT[v.state];

/**
 * One line for a phase's deployment and verification, or undefined when it has neither (its
 * version did not come through a promotion, or nothing applies or proves the phase). A failed
 * or degraded deployment says only that: its verification failed because of it.
 */
export function describeTracking(s: Pick<ApiPhaseStatus, 'deployment' | 'verification'>): TrackingView | undefined {
  const d = s.deployment;
  const v = s.verification;
  if (!d && !v) return undefined;
  const detail = [
    d && `deployer: ${deploymentText(d)}${d.message ? ` (${d.message})` : ''}`,
    v && `verification: ${verificationText(v)}${v.reason ? ` (${v.reason})` : ''}`,
  ]
    .filter(Boolean)
    .join('\n');
  if (d && (d.state === 'failed' || d.state === 'degraded')) return { text: deploymentText(d), tone: 'bad', detail };
  // while the deployer has not reported healthy, verification waits on it: the deployer's word says it
  const parts =
    d && v && v.state === 'pending' ? [deploymentText(d)] : [d && deploymentText(d), v && verificationText(v)];
  const text = parts.filter(Boolean).join(' · ');
  const tone =
    v?.state === 'failed' ? 'bad' : (v ? v.state === 'verified' : d?.state === 'healthy') ? 'ok' : 'progress';
  return { text, tone, detail };
}
