import type { ApiPromotion } from '@gantry/api';
import { useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { describeError } from '../../api/describe-error.js';
import { Dialog } from '../../shared/Dialog.js';
import type { Verdict } from './gate-format.js';

/**
 * For admins: "Override <gate>…" next to each window gate (a closed window or a freeze) that
 * keeps a waiting promotion back. It asks why (required: the verdict and the audit log show
 * it) and whether the override is for this version only (the default) or any version.
 */
export function OverrideControls(props: {
  promotion: ApiPromotion;
  verdicts: readonly Verdict[];
  onOverridden: (p: ApiPromotion) => void;
}) {
  const { client, me } = useApi();
  const p = props.promotion;
  const windows = props.verdicts.filter((v) => v.kind === 'window' && v.outcome !== 'pass');
  const [gate, setGate] = useState<string | undefined>();
  const [reason, setReason] = useState('');
  const [thisVersion, setThisVersion] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  if (me?.role !== 'admin' || windows.length === 0) return null;

  const submit = async (name: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await client.override(p.pipeline, p.phase, name, {
        reason: reason.trim(),
        ...(thisVersion ? { digest: p.toDigest } : {}),
      });
      setGate(undefined);
      setReason('');
      const now = r.promotions.find((x) => x.id === p.id);
      if (now) props.onOverridden(now);
    } catch (e) {
      const view = describeError(e);
      setError(`${view.title}: ${view.detail}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="override">
      {windows.map((v) => (
        <button
          key={v.gate}
          type="button"
          title={`Let ${p.toVersion} through ${v.gate} now, saying why (admins)`}
          onClick={() => setGate(v.gate)}
        >
          Override {v.gate}…
        </button>
      ))}
      {gate !== undefined && (
        <Dialog
          title={`Override ${gate} of ${p.pipeline}/${p.phase}`}
          onClose={() => setGate(undefined)}
          onConfirm={() => void submit(gate)}
          confirmLabel={busy ? 'Overriding…' : 'Override'}
          confirmDisabled={!reason.trim() || busy}
          footerNote={error && <span className="form-error">{error}</span>}
        >
          <p>
            The window gate passes while the override counts; its verdict, the promotion and the audit log show who
            overrode it and why.
          </p>
          <label htmlFor={`override-${p.id}`}>Why (required)</label>
          <textarea
            id={`override-${p.id}`}
            value={reason}
            maxLength={500}
            rows={3}
            onChange={(e) => setReason(e.target.value)}
          />
          <label className="checkbox">
            <input type="checkbox" checked={thisVersion} onChange={(e) => setThisVersion(e.target.checked)} />
            Only for {p.toVersion} (otherwise: any version of {p.phase})
          </label>
        </Dialog>
      )}
    </div>
  );
}
