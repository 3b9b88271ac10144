import type { Verdict } from './gate-format.js';
import { localTime } from '../../shared/format.js';
import { evidenceLines, OUTCOME_TEXT, passesByHand } from './gate-format.js';

/**
 * Each gate's verdict: its outcome in words (pass / waiting / blocked), why, what it looked at,
 * and what would unblock it. `byHand`: the reader is a person releasing the version, so a gate
 * that only stops automation says it passes for them.
 */
export function GateVerdictList(props: { verdicts: readonly Verdict[]; byHand?: boolean; label?: string }) {
  return (
    <ul className="gates" aria-label={props.label ?? 'Gates'}>
      {props.verdicts.map((v) => {
        const hand = props.byHand === true && passesByHand(v);
        const outcome = hand ? 'pass' : v.outcome;
        // the reason often says it already (`approved by bob (admin)`): each fact once
        const evidence = evidenceLines(v).filter((line) => line !== v.reason);
        return (
          <li key={v.gate} className={`gate gate-${outcome}`} data-gate={v.gate} data-outcome={outcome}>
            <div className="gate-head">
              <span className={`badge outcome-${outcome}`}>{hand ? 'pass by hand' : OUTCOME_TEXT[v.outcome]}</span>
              <strong>{v.gate}</strong>
              <span className="muted">{v.kind}</span>
            </div>
            <p className="gate-reason">{v.reason}</p>
            {hand && <p className="gate-unblock">This only stops automatic promotion: releasing it by hand passes.</p>}
            {!hand && v.unblock && v.outcome !== 'pass' && (
              <p className="gate-unblock">
                <span className="muted">To unblock: </span>
                {v.unblock}
              </p>
            )}
            {v.changesAt && (
              <p className="gate-changes muted">
                {v.outcome === 'pass' ? 'Until ' : 'May change at '}
                <time dateTime={v.changesAt}>{localTime(v.changesAt)}</time>
              </p>
            )}
            {evidence.length > 0 && (
              <ul className="gate-evidence">
                {evidence.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ul>
  );
}
