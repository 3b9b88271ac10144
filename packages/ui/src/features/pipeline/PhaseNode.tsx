import type { ApiPhaseStatus, ApiPromotion } from '@gantry/api';
import type { Node, NodeProps } from '@xyflow/react';
import { Handle, Position } from '@xyflow/react';
import { useHolds } from '../../api/holds-context.js';
import { HoldMarker } from '../../shared/HoldMarker.js';
import { holdsOnPhase } from '../../shared/hold-format.js';
import { isHttpUrl, shortSha, versionLabel } from '../../shared/format.js';
import { StateBadge } from '../../shared/StateBadge.js';
import { TrackingBadge } from '../../shared/TrackingBadge.js';
import { WarningMark } from '../../shared/WarningMark.js';

export type PhaseNodeData = {
  status: ApiPhaseStatus;
  last: ApiPromotion | undefined;
  selected: boolean;
};

export type PhaseFlowNode = Node<PhaseNodeData, 'phase'>;

/**
 * A phase in the graph: version, its deployment and verification, its pin or pause, commit
 * (linked when the repository gives a URL), labels, last promotion.
 */
export function PhaseNode(props: NodeProps<PhaseFlowNode>) {
  const { status: s, last, selected } = props.data;
  const held = holdsOnPhase(useHolds().items, s.pipeline, s.phase);
  const commit = s.setBy && s.setBy.id !== s.digest ? s.setBy : undefined;
  return (
    <div className={`phase-node state-${s.state}${selected ? ' selected' : ''}`} data-phase={s.phase}>
      <Handle type="target" position={Position.Left} />
      <div className="node-head">
        <strong>{s.phase}</strong>
        <StateBadge state={s.state} />
      </div>
      <div className="node-version" title={s.digest}>
        {versionLabel(s.version, s.digest) || 'empty'}
      </div>
      {(s.deployment || s.verification) && (
        <div className="node-tracking">
          <TrackingBadge status={s} />
        </div>
      )}
      {held.map((h) => (
        <div key={h.id} className="node-hold">
          <HoldMarker hold={h} />
        </div>
      ))}
      {commit && (
        <div className="node-commit" title={commit.message}>
          commit{' '}
          {commit.url ? (
            <a href={commit.url} target="_blank" rel="noreferrer" className="nodrag">
              {shortSha(commit.id)}
            </a>
          ) : (
            <code>{shortSha(commit.id)}</code>
          )}
        </div>
      )}
      {Object.entries(s.labels).map(([k, v]) => (
        <div key={k} className="node-label">
          {k}=
          {isHttpUrl(v) ? (
            <a href={v} target="_blank" rel="noreferrer" className="nodrag">
              {v}
            </a>
          ) : (
            v
          )}
        </div>
      ))}
      {last && (
        <div className="node-last">
          last promotion <StateBadge state={last.state} /> {last.toVersion}
        </div>
      )}
      {s.error && <div className="node-error">{s.error.message}</div>}
      {s.warning && (
        <div className="node-warning">
          <WarningMark status={s} />
        </div>
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}
