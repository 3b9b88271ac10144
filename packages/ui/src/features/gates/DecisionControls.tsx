import type { ApiPromotion } from '@gantry/api';
import { useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { describeError } from '../../api/describe-error.js';
import { Dialog } from '../../shared/Dialog.js';
import { decisionBlockedReason } from './decision.js';
import type { Verdict } from './gate-format.js';

/**
 * Approve / Reject for a waiting promotion's version. Reject asks why (required). Each is
 * disabled with the reason when the signed-in person's decision would not count.
 */
export function DecisionControls(props: {
  promotion: ApiPromotion;
  verdicts: readonly Verdict[];
  onDecided: (p: ApiPromotion) => void;
}) {
  const { client, me } = useApi();
  const p = props.promotion;
  const blocked = decisionBlockedReason(me, p, props.verdicts);
  const [busy, setBusy] = useState<'approve' | 'reject' | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [rejecting, setRejecting] = useState(false);
  const [comment, setComment] = useState('');

  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(decision);
    setError(undefined);
    try {
      const next =
        decision === 'approve' ? await client.approve(p.id) : await client.reject(p.id, { comment: comment.trim() });
      setRejecting(false);
      props.onDecided(next);
    } catch (e) {
      const view = describeError(e);
      setError(`${view.title}: ${view.detail}`);
    } finally {
      setBusy(undefined);
    }
  };
  const notes = [...new Set([blocked.approve, blocked.reject].filter((x): x is string => !!x))];

  return (
    <div className="decision">
      <div className="decision-buttons">
        <button
          type="button"
          className="primary"
          disabled={!!blocked.approve || busy !== undefined}
          title={blocked.approve ?? `Approve ${p.toVersion} for ${p.phase}`}
          onClick={() => void decide('approve')}
        >
          {busy === 'approve' ? 'Approving…' : 'Approve'}
        </button>
        <button
          type="button"
          disabled={!!blocked.reject || busy !== undefined}
          title={blocked.reject ?? `Reject ${p.toVersion} for ${p.phase}, saying why`}
          onClick={() => setRejecting(true)}
        >
          Reject…
        </button>
      </div>
      {notes.map((n) => (
        <p key={n} className="blocked-reason" role="note">
          {n}
        </p>
      ))}
      {error && !rejecting && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {rejecting && (
        <Dialog
          title={`Reject ${p.toVersion} for ${p.pipeline}/${p.phase}`}
          onClose={() => setRejecting(false)}
          onConfirm={() => void decide('reject')}
          confirmLabel={busy === 'reject' ? 'Rejecting…' : 'Reject'}
          confirmDisabled={!comment.trim() || busy !== undefined}
          footerNote={error && <span className="form-error">{error}</span>}
        >
          <p>
            The promotion fails, and this version cannot enter {p.phase} until you approve it after all or a newer
            version comes.
          </p>
          <label htmlFor={`reject-${p.id}`}>Why (required: the requester and the history see it)</label>
          <textarea
            id={`reject-${p.id}`}
            value={comment}
            maxLength={2000}
            rows={3}
            onChange={(e) => setComment(e.target.value)}
          />
        </Dialog>
      )}
    </div>
  );
}
