import type { ApiPhaseStatus } from '@gantry/api';
import { describeTracking } from './tracking.js';

/** A phase's deployment and verification in words (`healthy · verified`), coloured by how it fares. */
export function TrackingBadge(props: { status: Pick<ApiPhaseStatus, 'deployment' | 'verification'> }) {
  const t = describeTracking(props.status);
  if (!t) return null;
  return (
    <span className={`tracking tone-${t.tone}`} title={t.detail}>
      {t.text}
    </span>
  );
}
