import type { Verdict } from './gate-format.js';
import { localTime } from '../../shared/format.js';
import { evidenceLines, OUTCOME_TEXT, passesOnlyByHand } from './gate-format.js';

/**
 * Each gate's verdict: its outcome in words (pass / waiting / blocked), why, what it looked at,
 * and what would unblock it. A gate that lets the version through only because a person
 * releases it (a manual-only branch, a skip marker) says so: automation would stop there.
 */
export function GateVerdictList(props: { verdicts: readonly Verdict[]; label?: string }) {
  return (
    <ul className="gates" aria-label={props.label ?? 'Gates'}>
      {props.verdicts.map((v) => {
        const hand = passesOnlyByHand(v);
        // the reason often says it already (`approved by bob (admin)`): each fact once
        const evidence = evidenceLines(v).filter((line) => line !== v.reason);
        return (
          <li key={v.gate} className={`gate gate-${v.outcome}`} data-gate={v.gate} data-outcome={v.outcome}>
            <div className="gate-head">
              <span className={`badge outcome-${v.outcome}`}>{hand ? 'pass by hand' : OUTCOME_TEXT[v.outcome]}</span>
              <strong>{v.gate}</strong>
              <span className="muted">{v.kind}</span>
            </div>
            <p className="gate-reason">{v.reason}</p>
            {hand && (
              <p className="gate-unblock">This passes because a person releases it: automatic promotion stops here.</p>
            )}
            {v.unblock && v.outcome !== 'pass' && (
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
