import type { ApiPhaseStatus } from '@gantry/api';
import { Link } from '../../app/Link.js';
import { pipelineHref } from '../../app/routes.js';
import { useHolds } from '../../api/holds-context.js';
import { Age } from '../../shared/Age.js';
import { arrivedAt, versionLabel } from '../../shared/format.js';
import { HoldMarker } from '../../shared/HoldMarker.js';
import { holdsOnPhase } from '../../shared/hold-format.js';
import { StateBadge } from '../../shared/StateBadge.js';
import { TrackingBadge } from '../../shared/TrackingBadge.js';
import { WarningMark } from '../../shared/WarningMark.js';
import { layoutPhases } from './graph-layout.js';

/**
 * The graph as a list, for phone-wide screens: phases in promotion order (the graph's layers,
 * left to right, each read down its columns), each a link with its state in words, version, where it promotes from and
 * whether it has what that upstream holds.
 */
export function PhaseList(props: { phases: readonly ApiPhaseStatus[]; selected: string | undefined }) {
  const holds = useHolds().items;
  const ordered = layoutPhases(props.phases)
    .nodes.slice()
    .sort((a, b) => a.layer - b.layer || a.column - b.column || a.row - b.row);
  return (
    <ol className="phase-list" aria-label="Phases in promotion order" data-testid="pipeline-graph">
      {ordered.map(({ status: s }) => (
        <li key={s.phase} className={`phase-item state-${s.state}`} data-phase={s.phase}>
          <Link
            href={pipelineHref(s.pipeline, s.phase)}
            aria-current={s.phase === props.selected ? 'page' : undefined}
            className="phase-item-link"
          >
            <span className="phase-item-head">
              <strong>{s.phase}</strong>
              <StateBadge state={s.state} />
              <Age since={arrivedAt(s)} fallbackMs={s.age?.ms} />
            </span>
            <span className="node-version">{versionLabel(s.version, s.digest) || '—'}</span>
            {s.upstreams.length > 0 && (
              <span className="phase-item-from">
                from{' '}
                {s.upstreams.map((u, i) => (
                  <span key={u.phase}>
                    {i > 0 && ', '}
                    {u.phase} ({u.inSync ? 'in sync' : 'behind'})
                  </span>
                ))}
              </span>
            )}
            <span className="phase-item-meta">
              <TrackingBadge status={s} />
              {holdsOnPhase(holds, s.pipeline, s.phase).map((h) => (
                <HoldMarker key={h.id} hold={h} />
              ))}
              <WarningMark status={s} />
            </span>
          </Link>
        </li>
      ))}
    </ol>
  );
}
