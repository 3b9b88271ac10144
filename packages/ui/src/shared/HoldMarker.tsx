import type { HoldLike } from './hold-format.js';
import { holdEffect, holdText } from './hold-format.js';

/** A pin or pause on a graph node or overview cell, in words: `pinned by ann: rollback to app@1.2`. */
export function HoldMarker(props: { hold: HoldLike }) {
  const h = props.hold;
  const text = holdText(h);
  return (
    <span className={`hold-mark hold-${h.kind}`} data-hold={h.kind} title={`${text}\n${holdEffect(h)}`}>
      {text}
    </span>
  );
}
