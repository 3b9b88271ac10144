import type { ApiPipelineStatus } from '@gantry/api';
import { memo } from 'react';
import { Link } from '../../app/Link.js';
import { pipelineHref } from '../../app/routes.js';
import { labelPairs } from '../../shared/format.js';
import { PhaseCell } from './PhaseCell.js';

/**
 * A pipeline as one row: its name (a link to the pipeline) and labels, then one cell per phase
 * column, each a link to that phase.
 */
export const PipelineRow = memo(function PipelineRow(props: {
  pipeline: ApiPipelineStatus;
  columns: readonly string[];
  top: number;
}) {
  const p = props.pipeline;
  const labels = labelPairs(p.labels).join(' ');
  return (
    <div className="row grid-row" style={{ top: props.top }} data-pipeline={p.pipeline}>
      <div className="cell name">
        <Link href={pipelineHref(p.pipeline)} className="pipeline-name">
          {p.pipeline}
        </Link>
        {labels && <span className="labels">{labels}</span>}
      </div>
      {props.columns.map((c) => (
        <PhaseCell key={c} status={p.phases.find((ph) => ph.phase === c)} />
      ))}
    </div>
  );
});
