import type { ReactNode } from 'react';

/** Nothing to show, and what to do to change that. */
export function Empty(props: { title: string; children?: ReactNode }) {
  return (
    <div className="notice empty">
      <strong>{props.title}</strong>
      {props.children && <div className="hint">{props.children}</div>}
    </div>
  );
}
