import type { ApiPhaseStatus, ApiPromotion } from '@gantry/api';
import type { Dimensions, Edge, NodeChange } from '@xyflow/react';
import { Background, Controls, MarkerType, ReactFlow, useStoreApi, useUpdateNodeInternals } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { layoutPhases } from './graph-layout.js';
import type { PhaseFlowNode } from './PhaseNode.js';
import { PhaseNode } from './PhaseNode.js';

const NODE_TYPES = { phase: PhaseNode };
/** `.phase-node`'s CSS width and a typical height: a node is drawn at once, then measured. */
const INITIAL_SIZE = { initialWidth: 240, initialHeight: 96 } as const;

/**
 * React Flow measures a node (and so can draw its edges) when its ResizeObserver reports. A report
 * that arrives before the flow has its DOM root is dropped, and an element whose size does not change
 * is never reported again: on a busy machine the graph then stays without edges. This asks for any
 * node still without handle positions to be measured again until all have them.
 */
function MeasureUnmeasured() {
  const store = useStoreApi();
  const updateNodeInternals = useUpdateNodeInternals();
  useEffect(() => {
    const timer = setInterval(() => {
      const missing: string[] = [];
      for (const n of store.getState().nodeLookup.values()) if (!n.internals.handleBounds) missing.push(n.id);
      if (missing.length > 0) updateNodeInternals(missing);
    }, 250);
    return () => clearInterval(timer);
  }, [store, updateNodeInternals]);
  return null;
}

/** The pipeline's phases as a graph; edges say whether a phase runs what its upstream has. */
export function PipelineGraph(props: {
  phases: readonly ApiPhaseStatus[];
  lastByPhase: ReadonlyMap<string, ApiPromotion>;
  selected: string | undefined;
  onSelect: (phase: string) => void;
}) {
  // Every live update rebuilds the node objects, and React Flow treats a new node object without
  // `measured` as unmeasured (hidden until its ResizeObserver reports again, which a node whose size
  // did not change may never do). Carrying the last measurement over keeps nodes and edges drawn.
  const measured = useRef(new Map<string, Dimensions>());
  const onNodesChange = useCallback((changes: NodeChange<PhaseFlowNode>[]) => {
    for (const c of changes) if (c.type === 'dimensions' && c.dimensions) measured.current.set(c.id, c.dimensions);
  }, []);
  const { nodes, edges } = useMemo(() => {
    const laid = layoutPhases(props.phases);
    const nodes: PhaseFlowNode[] = laid.nodes.map((n) => {
      const size = measured.current.get(n.id);
      return {
        id: n.id,
        type: 'phase',
        position: { x: n.x, y: n.y },
        data: { status: n.status, last: props.lastByPhase.get(n.id), selected: n.id === props.selected },
        draggable: false,
        connectable: false,
        ...INITIAL_SIZE,
        ...(size ? { measured: size } : {}),
      };
    });
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
        onNodesChange={onNodesChange}
        onNodeClick={(_, n) => props.onSelect(n.id)}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
        nodesConnectable={false}
        colorMode="system"
        minZoom={0.2}
      >
        <Background />
        <Controls showInteractive={false} />
        <MeasureUnmeasured />
      </ReactFlow>
    </div>
  );
}
