import type { ApiPhaseStatus, ApiPromotion } from '@gantry/server';
import type { Edge } from '@xyflow/react';
import { Background, Controls, MarkerType, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { layoutPhases } from './graph-layout.js';
import type { PhaseFlowNode } from './PhaseNode.js';
import { PhaseNode } from './PhaseNode.js';

const NODE_TYPES = { phase: PhaseNode };

/** The pipeline's phases as a graph; edges say whether a phase runs what its upstream has. */
export function PipelineGraph(props: {
  phases: readonly ApiPhaseStatus[];
  lastByPhase: ReadonlyMap<string, ApiPromotion>;
  selected: string | undefined;
  onSelect: (phase: string) => void;
}) {
  const { nodes, edges } = useMemo(() => {
    const laid = layoutPhases(props.phases);
    const nodes: PhaseFlowNode[] = laid.nodes.map((n) => ({
      id: n.id,
      type: 'phase',
      position: { x: n.x, y: n.y },
      data: { status: n.status, last: props.lastByPhase.get(n.id), selected: n.id === props.selected },
      draggable: false,
      connectable: false,
    }));
    const edges: Edge[] = laid.edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      label: e.label,
      animated: !e.inSync,
      className: e.inSync ? 'edge-in-sync' : 'edge-behind',
      markerEnd: { type: MarkerType.ArrowClosed },
    }));
    return { nodes, edges };
  }, [props.phases, props.lastByPhase, props.selected]);

  return (
    <div className="graph" data-testid="pipeline-graph">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodeClick={(_, n) => props.onSelect(n.id)}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
        nodesConnectable={false}
        colorMode="system"
        minZoom={0.2}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
