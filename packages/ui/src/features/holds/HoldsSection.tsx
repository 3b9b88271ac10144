import type { ApiHold, ApiPhaseStatus } from '@gantry/api';
import type { FormEvent } from 'react';
import { useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { describeError } from '../../api/describe-error.js';
import { useHolds } from '../../api/holds-context.js';
import { localTime } from '../../shared/format.js';
import { holdEffect, holdsOnPhase, holdText } from '../../shared/hold-format.js';
import { roleBlockedReason } from '../auth/permissions.js';

type Asking = 'pin' | 'pause' | undefined;

/**
 * The phase's pin and pauses with who and why, and Unpin / Resume; Pin… and Pause… ask for a
 * reason. Every button is disabled with the reason when the token may not promote into the phase
 * (the role that sets and releases holds).
 */
export function HoldsSection(props: { pipeline: string; status: ApiPhaseStatus }) {
  const { client, me } = useApi();
  const holds = useHolds();
  const { pipeline, status } = props;
  const phase = status.phase;
  const held = holdsOnPhase(holds.items, pipeline, phase);
  const pin = held.find((h) => h.kind === 'pin' && h.phase === phase);
  const pause = held.find((h) => h.kind === 'pause' && h.phase === phase);
  const [asking, setAsking] = useState<Asking>();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  if (!status.writable) return null;

  const blocked = (doing: string) => roleBlockedReason(me, pipeline, phase, doing);
  const act = async (run: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await run();
      setAsking(undefined);
      setReason('');
      holds.refresh();
    } catch (e) {
      const view = describeError(e);
      setError(`${view.title}: ${view.detail}`);
    } finally {
      setBusy(false);
    }
  };
  const release = (h: ApiHold) =>
    act(() =>
      h.kind === 'pin'
        ? client.unpin(pipeline, phase)
        : client.resume(pipeline, h.phase === undefined ? {} : { phase: h.phase }),
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const why = reason.trim();
    if (!why) return;
    void act(() =>
      asking === 'pin' ? client.pin(pipeline, phase, { reason: why }) : client.pause(pipeline, { phase, reason: why }),
    );
  };
  const roleNote = blocked('Pinning or pausing');
  const releaseLabel = (h: ApiHold) =>
    h.kind === 'pin' ? 'Unpin' : h.phase === undefined ? 'Resume pipeline' : 'Resume';
  const releaseBlocked = (h: ApiHold) =>
    h.phase === undefined
      ? // a pipeline's pause needs the role of its strictest phase: the server says which when it refuses
        blocked('Resuming')
      : blocked(h.kind === 'pin' ? 'Unpinning' : 'Resuming');

  return (
    <section className="holds" aria-label="Pins and pauses">
      <div className="section-head">
        <h3>Pins and pauses</h3>
        <span className="spacer" />
        {!pin && (
          <button
            type="button"
            disabled={!!blocked('Pinning') || busy}
            title={blocked('Pinning') ?? 'Keep automation from moving this phase, saying why'}
            onClick={() => setAsking('pin')}
          >
            Pin…
          </button>
        )}
        {!pause && (
          <button
            type="button"
            disabled={!!blocked('Pausing') || busy}
            title={blocked('Pausing') ?? 'Stop automation in this phase, saying why'}
            onClick={() => setAsking('pause')}
          >
            Pause…
          </button>
        )}
      </div>
      {held.length === 0 && !asking && <p className="hint">Automation may move this phase.</p>}
      {held.map((h) => (
        <div key={h.id} className="hold" data-hold={h.kind}>
          <strong>{holdText(h)}</strong>
          <time className="muted" dateTime={h.at}>
            since {localTime(h.at)}
          </time>
          <button
            type="button"
            disabled={!!releaseBlocked(h) || busy}
            title={releaseBlocked(h) ?? holdEffect(h)}
            onClick={() => void release(h)}
          >
            {releaseLabel(h)}
          </button>
        </div>
      ))}
      {roleNote && (
        <p className="blocked-reason" role="note">
          {roleNote}
        </p>
      )}
      {asking && (
        <form onSubmit={submit} aria-label={asking === 'pin' ? 'Pin this phase' : 'Pause this phase'}>
          <label className="visually-hidden" htmlFor="hold-reason">
            Why (required)
          </label>
          <input
            id="hold-reason"
            // biome-ignore lint/a11y/noAutofocus: the form opens on the user's click to take exactly this text
            autoFocus
            value={reason}
            maxLength={500}
            placeholder={asking === 'pin' ? 'why pin it, e.g. incident 42' : 'why pause it, e.g. incident 42'}
            onChange={(e) => setReason(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setAsking(undefined);
            }}
          />
          <button type="submit" className="primary" disabled={!reason.trim() || busy}>
            {asking === 'pin' ? 'Pin phase' : 'Pause phase'}
          </button>
          <button type="button" onClick={() => setAsking(undefined)}>
            Cancel
          </button>
        </form>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
