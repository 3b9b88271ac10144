import type { ApiPromotion } from '@gantry/api';
import { shortSha } from '../../shared/format.js';
import { StateBadge } from '../../shared/StateBadge.js';
import { gatesSummary, readVerdicts } from '../gates/gate-format.js';
import { GateVerdictList } from '../gates/GateVerdictList.js';
import { describeChange, describeTrigger, isSettled, promotionDuration } from './history-format.js';

/** One promotion in the timeline: who, from -> to, commit, duration, result and error, and its gates' verdicts (collapsed). */
export function HistoryItem(props: {
  promotion: ApiPromotion;
  /** Where the commit can be seen, when the repository gives links. */
  commitHref?: string | undefined;
  rollback?: { onClick: () => void; blockedReason: string | undefined };
}) {
  const p = props.promotion;
  // the server's links (configured templates, GitHub/GitLab defaults) first; else one derived from the phase's commit
  const commitHref = p.links?.commit ?? props.commitHref;
  const verdicts = readVerdicts(p.gates);
  return (
    <li className={`history-item state-${p.state}`} data-promotion={p.id} data-state={p.state}>
      <div className="history-head">
        <StateBadge state={p.state} />
        <span className="change">{describeChange(p)}</span>
        <span className="spacer" />
        <time dateTime={p.createdAt} title={p.createdAt}>
          {new Date(p.createdAt).toLocaleString()}
        </time>
      </div>
      <div className="history-meta">
        <span>by {describeTrigger(p)}</span>
        {p.commitSha && (
          <span>
            commit{' '}
            {commitHref ? (
              <a href={commitHref} target="_blank" rel="noreferrer">
                <code>{shortSha(p.commitSha)}</code>
              </a>
            ) : (
              <code>{shortSha(p.commitSha)}</code>
            )}
          </span>
        )}
        {p.links?.image && (
          <span>
            <a href={p.links.image} target="_blank" rel="noreferrer">
              image
            </a>
          </span>
        )}
        {p.proposal && (
          <span className="proposal" data-proposal-state={p.proposal.state}>
            pull request{' '}
            <a href={p.links?.proposal ?? p.proposal.url} target="_blank" rel="noreferrer">
              #{p.proposal.number}
            </a>{' '}
            ({p.proposal.state})
            {p.proposal.checks && p.proposal.checks.total > 0 && (
              <span className="proposal-checks" data-checks-state={p.proposal.checks.state}>
                {' '}
                checks {p.proposal.checks.passed}/{p.proposal.checks.total} {p.proposal.checks.state}
              </span>
            )}
          </span>
        )}
        <span>
          {isSettled(p)
            ? `took ${promotionDuration(p)}`
            : // a wait lasts hours: a duration frozen at render time would mislead, the time above says since when
              p.state === 'waiting'
              ? 'waiting for its gates'
              : `${p.state} for ${promotionDuration(p)}`}
        </span>
        {p.reason && <span className="reason">{p.reason}</span>}
      </div>
      {p.error && (
        <p className="history-error" role="note">
          {p.error.code}: {p.error.message}
        </p>
      )}
      {verdicts.length > 0 && (
        <details className="history-gates">
          <summary>Gates: {gatesSummary(verdicts)}</summary>
          <GateVerdictList verdicts={verdicts} label={`Gates of ${p.toVersion}`} />
        </details>
      )}
      {props.rollback && (
        <div className="history-actions">
          <button
            type="button"
            onClick={props.rollback.onClick}
            disabled={!!props.rollback.blockedReason}
            title={props.rollback.blockedReason}
          >
            Roll back to {p.toVersion}
          </button>
        </div>
      )}
    </li>
  );
}
