import type { ApiPhaseStatus } from '@gantry/api';
import { useHolds } from '../../api/holds-context.js';
import { formatAge, versionLabel } from '../../shared/format.js';
import { HoldMarker } from '../../shared/HoldMarker.js';
import { holdsOnPhase } from '../../shared/hold-format.js';
import { TrackingBadge } from '../../shared/TrackingBadge.js';
import { WarningMark } from '../../shared/WarningMark.js';

function behindTitle(s: ApiPhaseStatus): string {
  const lagging = s.upstreams.filter((u) => !u.inSync);
  return lagging.map((u) => `behind ${u.phase}${u.version ? ` (${u.version})` : ''}`).join('; ');
}

/** One phase of an overview row: version, deployment and verification, age, state colour, the behind mark, pins and pauses. */
export function PhaseCell(props: { status: ApiPhaseStatus | undefined }) {
  const s = props.status;
  const holds = useHolds().items;
  if (!s) return <div className="cell cell-none" />;
  const held = holdsOnPhase(holds, s.pipeline, s.phase);
  const version = versionLabel(s.version, s.digest);
  return (
    <div className={`cell state-${s.state}`} data-phase={s.phase}>
      <span className="version" title={s.digest ?? ''}>
        {s.state === 'error' ? (s.error?.code ?? 'error') : version || 'empty'}
      </span>
      <span className="meta">
        {held.map((h) => (
          <HoldMarker key={h.id} hold={h} />
        ))}
        <TrackingBadge status={s} />
        <WarningMark status={s} />
        {s.age && <span title="time since this version arrived">{formatAge(s.age.ms)}</span>}
        {s.state === 'behind' && (
          <span className="behind-mark" title={behindTitle(s)}>
            ▲ behind
          </span>
        )}
        {s.state === 'error' && <span title={s.error?.message}>{s.error?.message}</span>}
      </span>
    </div>
  );
}
