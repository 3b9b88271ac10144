import type { ApiPhaseStatus, ApiPromotion } from '@gantry/api';
import type { Dimensions, Edge, NodeChange } from '@xyflow/react';
import { Background, Controls, MarkerType, ReactFlow, useStoreApi, useUpdateNodeInternals } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { KeyboardEvent } from 'react';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { NARROW_QUERY, useMediaQuery } from '../../shared/use-media-query.js';
import { STATE_TEXT } from '../overview/PhaseCell.js';
import { layoutPhases } from './graph-layout.js';
import type { PhaseFlowNode } from './PhaseNode.js';
import { PhaseList } from './PhaseList.js';
import { PhaseNode } from './PhaseNode.js';

const NODE_TYPES = { phase: PhaseNode };
/** `.phase-node`'s CSS width and a typical height: a node is drawn at once, then measured. */
const INITIAL_SIZE = { initialWidth: 240, initialHeight: 96 } as const;
/** Fitting a wide graph never shrinks its text below this: a wider one is panned instead. */
export const MIN_FIT_ZOOM = 0.6;
/** What a screen reader says about a focused node (React Flow's default speaks of deleting it). */
const ARIA_LABELS = {
  'node.a11yDescription.default': 'Press Enter to open this phase.',
  'node.a11yDescription.keyboardDisabled': 'Open a phase from the list of phases below.',
};

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

/**
 * The pipeline's phases as a graph; edges say whether a phase runs what its upstream has. Nodes
 * take keyboard focus (a visible ring) and Enter opens the phase. On a phone-wide screen, where
 * a graph would have to shrink to unreadable, the phases are a list instead.
 */
export function PipelineGraph(props: {
  phases: readonly ApiPhaseStatus[];
  lastByPhase: ReadonlyMap<string, ApiPromotion>;
  selected: string | undefined;
  onSelect: (phase: string) => void;
}) {
  // Every live update rebuilds the node objects, and React Flow treats a new node object without
  // `measured` as unmeasured (hidden until its ResizeObserver reports again, which a node whose size
  // did not change may never do). Carrying the last measurement over keeps nodes and edges drawn.
  const narrow = useMediaQuery(NARROW_QUERY);
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
        ariaLabel: `${n.id}: ${STATE_TEXT[n.status.state].slice(2)}${n.status.version ? `, ${n.status.version}` : ''}`,
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

  const { onSelect } = props;
  // Enter on a focused node opens its phase (React Flow only selects it); Enter on a link inside follows the link
  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      if (e.key !== 'Enter') return;
      const target = e.target as HTMLElement;
      if (!target.classList.contains('react-flow__node')) return;
      const id = target.dataset.id;
      if (id === undefined) return;
      e.preventDefault();
      onSelect(id);
    },
    [onSelect],
  );

  if (narrow) return <PhaseList phases={props.phases} selected={props.selected} />;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the keys reach this from the focusable nodes inside
    <div className="graph" data-testid="pipeline-graph" onKeyDown={onKeyDown}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onNodeClick={(_, n) => props.onSelect(n.id)}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1, minZoom: MIN_FIT_ZOOM }}
        ariaLabelConfig={ARIA_LABELS}
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
