import type { ApiPromotion } from '@gantry/api';
import { describeChange, describeTrigger } from '../phase/history-format.js';
import { DecisionControls } from './DecisionControls.js';
import { localTime } from '../../shared/format.js';
import { gatesSummary, readVerdicts } from './gate-format.js';
import { GateVerdictList } from './GateVerdictList.js';
import { OverrideControls } from './OverrideControls.js';

/**
 * The phase's promotions waiting on their gates: what each waits for, every gate's verdict,
 * Approve / Reject, and for admins an override of a closed window. Nothing when none waits.
 */
export function WaitingPromotions(props: { items: readonly ApiPromotion[]; onDecided: (p: ApiPromotion) => void }) {
  const waiting = props.items.filter((p) => p.state === 'waiting');
  if (waiting.length === 0) return null;
  return (
    <section className="waiting-promotions" aria-label="Waiting for gates">
      <h3>Waiting for gates</h3>
      {waiting.map((p) => {
        const verdicts = readVerdicts(p.gates);
        return (
          <article key={p.id} className="waiting" data-promotion={p.id} aria-label={`Waiting: ${p.toVersion}`}>
            <div className="history-head">
              <span className="badge state-waiting">waiting</span>
              <span className="change">{describeChange(p)}</span>
              <span className="spacer" />
              <time dateTime={p.createdAt}>{localTime(p.createdAt)}</time>
            </div>
            <p className="waiting-summary">
              Requested by {describeTrigger(p)}; {gatesSummary(verdicts)}
            </p>
            <GateVerdictList verdicts={verdicts} label={`Gates of ${p.toVersion}`} />
            <DecisionControls promotion={p} verdicts={verdicts} onDecided={props.onDecided} />
            <OverrideControls promotion={p} verdicts={verdicts} onOverridden={props.onDecided} />
          </article>
        );
      })}
    </section>
  );
}
