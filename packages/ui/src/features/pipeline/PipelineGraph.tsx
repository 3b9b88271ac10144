import type { ApiPhaseStatus, ApiPromotion } from '@gantry/api';
import type { Dimensions, NodeChange, ReactFlowInstance } from '@xyflow/react';
import { Background, Controls, MarkerType, ReactFlow, useStoreApi, useUpdateNodeInternals } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './pipeline-graph.css';
import type { KeyboardEvent } from 'react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { NARROW_QUERY, useMediaQuery } from '../../shared/use-media-query.js';
import { STATE_TEXT } from '../overview/PhaseCell.js';
import { layoutPhases, NODE_WIDTH } from './graph-layout.js';
import { graphBoxHeight, initialViewport, MIN_FIT_ZOOM } from './graph-viewport.js';
import type { PhaseFlowNode } from './PhaseNode.js';
import { PhaseList } from './PhaseList.js';
import { PhaseNode } from './PhaseNode.js';
import type { RoutedFlowEdge } from './RoutedEdge.js';
import { RoutedEdge } from './RoutedEdge.js';

const NODE_TYPES = { phase: PhaseNode };
const EDGE_TYPES = { routed: RoutedEdge };
export { MIN_FIT_ZOOM };
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
  // the heights the browser drew: the layout makes its rows that tall, so no node reaches into a lane
  const [heights, setHeights] = useState<ReadonlyMap<string, number>>(new Map());
  const onNodesChange = useCallback((changes: NodeChange<PhaseFlowNode>[]) => {
    const sized = changes.flatMap((c) => (c.type === 'dimensions' && c.dimensions ? [c] : []));
    for (const c of sized) if (c.dimensions) measured.current.set(c.id, c.dimensions);
    if (sized.length === 0) return;
    setHeights((known) => {
      const changed = sized.filter((c) => Math.abs((known.get(c.id) ?? 0) - (c.dimensions?.height ?? 0)) > 1);
      if (changed.length === 0) return known;
      const next = new Map(known);
      for (const c of changed) next.set(c.id, c.dimensions?.height ?? 0);
      return next;
    });
  }, []);
  const layout = useMemo(() => layoutPhases(props.phases, heights), [props.phases, heights]);
  const { nodes, edges } = useMemo(() => {
    const laid = layout;
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
        initialWidth: NODE_WIDTH,
        initialHeight: n.height,
        ...(size ? { measured: size } : {}),
      };
    });
    const edges: RoutedFlowEdge[] = laid.edges.map((e) => ({
      id: e.id,
      type: 'routed',
      source: e.source,
      target: e.target,
      data: { points: e.points, labelSide: e.labelSide },
      label: e.label,
      animated: !e.inSync,
      className: e.inSync ? 'edge-in-sync' : 'edge-behind',
      markerEnd: { type: MarkerType.ArrowClosed },
    }));
    return { nodes, edges };
  }, [layout, props.lastByPhase, props.selected]);

  // opens on a readable zoom (see initialViewport); laid out again once measured, it opens again
  // there until the person moves it themselves
  const box = useRef<HTMLDivElement>(null);
  const flow = useRef<ReactFlowInstance<PhaseFlowNode, RoutedFlowEdge>>(null);
  const moved = useRef(false);
  const place = useCallback(() => {
    const el = box.current;
    if (!el || !flow.current || moved.current) return;
    void flow.current.setViewport(initialViewport(layout, el.clientWidth, el.clientHeight));
  }, [layout]);
  useEffect(place, [place]);

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
    <div
      ref={box}
      className="graph"
      data-testid="pipeline-graph"
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        // focus on a node pans to it: the graph stays where that put it
        if ((e.target as HTMLElement).classList.contains('react-flow__node')) moved.current = true;
      }}
      style={{ height: graphBoxHeight(layout) }}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        onNodesChange={onNodesChange}
        onNodeClick={(_, n) => props.onSelect(n.id)}
        onInit={(instance) => {
          flow.current = instance;
          place();
        }}
        onMoveStart={(event) => {
          // a person's wheel, drag or pinch (the layout's own moves come without an event)
          if (event) moved.current = true;
        }}
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
