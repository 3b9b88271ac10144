import type { Edge, EdgeProps } from '@xyflow/react';
import { BaseEdge } from '@xyflow/react';
import type { Point } from './edge-routes.js';
import { svgPath } from './edge-routes.js';

export type RoutedEdgeData = {
  /** The laid-out route (graph-layout): its corners between the two end stubs. */
  points: readonly Point[];
  labelSide: 'source' | 'target';
};

export type RoutedFlowEdge = Edge<RoutedEdgeData, 'routed'>;

/**
 * An edge along its laid-out route, around every node. The ends come from React Flow's measured
 * handles, so a node drawn a little taller or shorter than laid out still gets its edge: the
 * vertical runs in the gaps beside the nodes take up the difference.
 */
export function RoutedEdge(props: EdgeProps<RoutedFlowEdge>) {
  const { sourceX, sourceY, targetX, targetY, data } = props;
  const route = data?.points ?? [];
  // a straight route has no corners: its run between the columns is half way
  const exitX = route.length > 2 ? (route[1] as Point).x : (sourceX + targetX) / 2;
  const enterX = route.length > 2 ? (route[route.length - 2] as Point).x : exitX;
  const lanes = route.slice(2, -2);
  const points: Point[] = [
    { x: sourceX, y: sourceY },
    { x: exitX, y: sourceY },
    ...lanes,
    { x: enterX, y: targetY },
    { x: targetX, y: targetY },
  ];
  const onSource = data?.labelSide === 'source';
  return (
    <BaseEdge
      id={props.id}
      path={svgPath(points)}
      markerEnd={props.markerEnd}
      style={props.style}
      label={props.label}
      labelX={onSource ? (sourceX + exitX) / 2 : (enterX + targetX) / 2}
      labelY={onSource ? sourceY : targetY}
      labelStyle={props.labelStyle}
      labelShowBg={props.labelShowBg}
      labelBgStyle={props.labelBgStyle}
      labelBgPadding={props.labelBgPadding}
      labelBgBorderRadius={props.labelBgBorderRadius}
      interactionWidth={props.interactionWidth}
    />
  );
}
