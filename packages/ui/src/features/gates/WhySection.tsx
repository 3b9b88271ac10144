import type { ApiPromotion } from '@gantry/api';
import type { HoldLike } from '../../shared/hold-format.js';
import { holdText } from '../../shared/hold-format.js';
import { describeTrigger } from '../phase/history-format.js';
import type { RequestOutlook, Verdict } from './gate-format.js';
import { GateVerdictList } from './GateVerdictList.js';

/** The parts of a `why` answer this section shows. */
export interface WhyView {
  readonly verdicts: readonly Verdict[];
  readonly outlook: RequestOutlook;
  readonly holds: readonly HoldLike[];
  readonly unfinished: readonly ApiPromotion[];
}

function headline(o: RequestOutlook, count: number): string {
  if (count === 0) return 'No gates: the promotion starts at once.';
  if (o.outcome === 'block')
    return `Blocked by ${o.blocking.map((v) => v.gate).join(', ')}: it cannot be requested now.`;
  if (o.outcome === 'wait')
    return `Waits for ${o.waiting.map((v) => v.gate).join(', ')}: the request is recorded and starts once every gate passes.`;
  return 'Every gate passes: the promotion starts at once.';
}

/**
 * `gantry why` in the promote dialog: every gate's verdict for the version it would promote,
 * judged by the server as the click about to be made (`why?as=person`: the signed-in person's
 * release by hand), with what would unblock it, the pins and pauses on the phase, and requests
 * already under way.
 */
export function WhySection(props: { why: WhyView; rollback: boolean }) {
  const { verdicts, outlook, holds, unfinished } = props.why;
  return (
    <section className="why" aria-label="Gates for this version">
      <h3>Gates</h3>
      <p className={`why-headline outcome-${outlook.outcome}`} role="status">
        {headline(outlook, verdicts.length)}
      </p>
      {verdicts.length > 0 && <GateVerdictList verdicts={verdicts} label="Gate verdicts" />}
      {holds.map((h) => (
        <p key={`${h.kind}:${h.phase ?? ''}`} className={`hold-note hold-${h.kind}`} data-hold={h.kind}>
          <strong>{holdText(h)}</strong>
          {h.kind === 'pin'
            ? props.rollback
              ? ' — the rollback pins it again at its version.'
              : ' — promoting the upstream’s version by hand releases the pin.'
            : ' — automation waits; promoting by hand is still allowed.'}
        </p>
      ))}
      {unfinished.length > 0 && (
        <div className="unfinished">
          <span className="muted">Already under way: </span>
          {unfinished.map((p) => (
            <span key={p.id} className="unfinished-item" data-promotion={p.id}>
              {p.toVersion} {p.state} (by {describeTrigger(p)})
            </span>
          ))}
        </div>
      )}
    </section>
  );
}
