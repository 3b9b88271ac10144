import type { ApiMe } from '@gantry/client';
import type { ApiPhaseStatus } from '@gantry/api';
import { deploymentText } from '../../shared/tracking.js';
import { roleBlockedReason } from '../auth/permissions.js';

/**
 * Why verification of the phase's current version cannot be re-run now, or undefined when it
 * can: as the server decides (a succeeded promotion, a phase with verification, a deployer that
 * reported healthy, the role that may promote into the phase), and not while a run is under way.
 */
export function reverifyBlockedReason(
  me: ApiMe | undefined,
  pipeline: string,
  s: Pick<ApiPhaseStatus, 'phase' | 'promotionId' | 'deployment' | 'verification'>,
): string | undefined {
  if (!s.promotionId) return 'The current version did not come through a promotion: nothing verifies it';
  if (!s.verification) return `${s.phase} has no verification: it names no deployer and no checks`;
  if (s.deployment && s.deployment.state !== 'healthy')
    return `Verification runs once the deployer reports healthy; it is ${deploymentText(s.deployment)}`;
  if (s.verification.state === 'running') return 'Verification is running';
  return roleBlockedReason(me, pipeline, s.phase, 'Re-running verification of');
}
