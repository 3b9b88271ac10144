import { describeError } from '../api/describe-error.js';

/** An error with what to do about it, and a Retry button when retrying can help. */
export function ErrorNotice(props: { error: unknown; retry?: () => void }) {
  const view = describeError(props.error);
  return (
    <div className="notice error" role="alert">
      <strong>{view.title}</strong>
      <p className="detail">{view.detail}</p>
      <p className="hint">{view.hint}</p>
      {props.retry && (
        <button type="button" onClick={props.retry}>
          Retry
        </button>
      )}
    </div>
  );
}
