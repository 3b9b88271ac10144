import { useState } from 'react';
import { describeError } from '../../api/describe-error.js';

/**
 * Asks the server to read the pipeline's phases from Git and the registries now, for when a
 * change has happened that no webhook announced and the next schedule is a while away.
 */
export function RereadButton(props: { reread: () => Promise<void> }) {
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const run = async () => {
    setState({ busy: true });
    try {
      await props.reread();
      setState({ busy: false });
    } catch (e) {
      const view = describeError(e);
      setState({ busy: false, error: `${view.title}: ${view.detail}` });
    }
  };
  return (
    <span className="reread">
      <button
        type="button"
        onClick={() => void run()}
        disabled={state.busy}
        title="Read every phase from Git and the registries now, instead of waiting for a webhook or the schedule"
      >
        {state.busy ? 'Reading…' : 'Re-read now'}
      </button>
      {state.error && (
        <span role="alert" className="reread-error">
          {state.error}
        </span>
      )}
    </span>
  );
}
