import type { ApiPhaseStatus } from '@gantry/api';
import { Link } from '../../app/Link.js';
import { pipelineHref } from '../../app/routes.js';
import { useHolds } from '../../api/holds-context.js';
import { Age } from '../../shared/Age.js';
import { arrivedAt, versionLabel } from '../../shared/format.js';
import { HoldMarker } from '../../shared/HoldMarker.js';
import { holdsOnPhase } from '../../shared/hold-format.js';
import { TrackingBadge } from '../../shared/TrackingBadge.js';
import { WarningMark } from '../../shared/WarningMark.js';

/** A phase's state in words, with a mark that is not colour either: the colour repeats, never replaces, it. */
export const STATE_TEXT: Readonly<Record<ApiPhaseStatus['state'], string>> = {
  'in-sync': '✓ in sync',
  behind: '▲ behind',
  source: '◆ source',
  empty: '○ empty',
  error: '✕ error',
};

function behindTitle(s: ApiPhaseStatus): string {
  const lagging = s.upstreams.filter((u) => !u.inSync);
  return lagging.map((u) => `behind ${u.phase}${u.version ? ` (${u.version})` : ''}`).join('; ');
}

/**
 * One phase of an overview row, a link to that phase: version, its state in words, deployment and
 * verification, age (counting up live), pins and pauses, a registry's warning.
 */
export function PhaseCell(props: { status: ApiPhaseStatus | undefined }) {
  const s = props.status;
  const holds = useHolds().items;
  if (!s)
    return (
      <div className="cell cell-none">
        <span className="visually-hidden">no such phase</span>
      </div>
    );
  const held = holdsOnPhase(holds, s.pipeline, s.phase);
  const version = versionLabel(s.version, s.digest);
  return (
    <div className={`cell state-${s.state}`} data-phase={s.phase}>
      <Link href={pipelineHref(s.pipeline, s.phase)} className="cell-link">
        <span className="visually-hidden">{s.phase}: </span>
        <span className="version" title={s.digest ?? ''}>
          {s.state === 'error' ? (s.error?.code ?? 'error') : version || '—'}
        </span>
        <span className="meta">
          {s.state === 'behind' ? (
            <span className="state-text behind-mark" title={behindTitle(s)}>
              {STATE_TEXT.behind}
            </span>
          ) : (
            <span className={`state-text state-${s.state}`}>{STATE_TEXT[s.state]}</span>
          )}
          {held.map((h) => (
            <HoldMarker key={h.id} hold={h} />
          ))}
          <TrackingBadge status={s} />
          <WarningMark status={s} />
          <Age since={arrivedAt(s)} fallbackMs={s.age?.ms} title="time since this version arrived" />
          {s.state === 'error' && <span title={s.error?.message}>{s.error?.message}</span>}
        </span>
      </Link>
    </div>
  );
}
