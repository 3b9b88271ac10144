import type { ApiPhaseStatus } from '@gantry/api';
import { warningDetail, warningText } from './phase-warning.js';

/** Why a phase's state may not be current (its registry rate-limits, the state is the last one seen), in words. */
export function WarningMark(props: { status: Pick<ApiPhaseStatus, 'warning'> }) {
  const w = props.status.warning;
  if (!w) return null;
  return (
    <span className="warning-mark" title={warningDetail(w)}>
      ⚠ {warningText(w)}
    </span>
  );
}
