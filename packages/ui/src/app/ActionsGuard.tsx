import type { ReactNode } from 'react';
import { useConnection } from '../api/connection.js';

/**
 * While the server does not answer, every button and field of what it wraps (promote, approve,
 * pin, re-run, ...) is disabled at once by a disabled fieldset, so no view needs to know; links and
 * the data shown stay usable. The connection banner says why.
 */
export function ActionsGuard(props: { children: ReactNode }) {
  const { online } = useConnection();
  return (
    <fieldset className="actions-guard" disabled={!online}>
      {props.children}
    </fieldset>
  );
}
