import type { ApiPhaseStatus } from '@gantry/api';
import { Link } from '../../app/Link.js';
import { pipelineHref } from '../../app/routes.js';

/** The phases as links too: reachable from the keyboard, and a fallback to the graph. */
export function PhaseTabs(props: { pipeline: string; phases: readonly ApiPhaseStatus[]; selected?: string }) {
  return (
    <nav className="phase-tabs" aria-label="Phases">
      {props.phases.map((p) => (
        <Link
          key={p.phase}
          href={pipelineHref(props.pipeline, p.phase)}
          className={`tab state-${p.state}`}
          aria-current={p.phase === props.selected ? 'page' : undefined}
        >
          {p.phase}
        </Link>
      ))}
    </nav>
  );
}
