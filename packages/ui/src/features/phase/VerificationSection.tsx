import type { ApiPhaseStatus } from '@gantry/api';
import { useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { describeError } from '../../api/describe-error.js';
import { useLiveEvents } from '../../api/events-context.js';
import { useResource } from '../../api/use-resource.js';
import { ErrorNotice } from '../../shared/ErrorNotice.js';
import { shortSha } from '../../shared/format.js';
import { Loading } from '../../shared/Loading.js';
import { deploymentText, verificationText } from '../../shared/tracking.js';
import { TrackingBadge } from '../../shared/TrackingBadge.js';
import { CheckResultItem } from './CheckResultItem.js';
import { resultsByRun } from './check-format.js';
import { reverifyBlockedReason } from './reverify.js';

const when = (iso: string) => (
  <time dateTime={iso} title={iso}>
    {new Date(iso).toLocaleString()}
  </time>
);

/**
 * What became of the phase's current version after the push: the deployer's report, the
 * verification's verdict, each check's result and output, and Re-run verification (disabled
 * with the reason when it cannot run). Live: the status follows phase events, the results reload
 * when the verification moves.
 */
export function VerificationSection(props: { pipeline: string; status: ApiPhaseStatus }) {
  const { client, me } = useApi();
  const { pipeline, status: s } = props;
  const d = s.deployment;
  const v = s.verification;
  const id = s.promotionId;
  const checks = useResource(
    async () => (id ? client.checkResults(id) : { promotionId: '', items: [] }),
    `checks:${id ?? ''}:${v?.run ?? 0}:${v?.state ?? ''}`,
  );
  useLiveEvents((e) => {
    // a check's result is recorded as it finishes, before the verdict moves the phase
    if (e.type === 'promotion' && e.promotion.id === id) checks.reload();
    else if (e.type === 'reconnected') checks.reload();
  });
  const [asked, setAsked] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const blocked = reverifyBlockedReason(me, pipeline, s);
  const rerun = async () => {
    if (!id) return;
    setAsked({ busy: true });
    try {
      await client.reverify(id);
      setAsked({ busy: false });
    } catch (e) {
      const view = describeError(e);
      setAsked({ busy: false, error: `${view.title}: ${view.detail}` });
    }
  };

  if (!d && !v) {
    if (!s.writable) return null;
    return (
      <section className="verification" aria-label="Deployment and verification">
        <h3>Deployment and verification</h3>
        <p className="hint">
          {id
            ? 'Nothing applies or proves this phase: name a deployer or checks (deployer:, verify:) in its definition.'
            : 'The current version did not come through a promotion: nothing tracks it.'}
        </p>
      </section>
    );
  }
  const runs = checks.resource.status === 'ok' ? resultsByRun(checks.resource.data.items) : [];
  const [latest, ...earlier] = runs;
  return (
    <section className="verification" aria-label="Deployment and verification">
      <div className="section-head">
        <h3>Deployment and verification</h3>
        <TrackingBadge status={s} />
        <span className="spacer" />
        <button
          type="button"
          onClick={() => void rerun()}
          disabled={!!blocked || asked.busy}
          title={blocked ?? 'Run the checks again for the current version'}
        >
          {asked.busy ? 'Starting…' : 'Re-run verification'}
        </button>
      </div>
      {blocked && (
        <p className="blocked-reason" role="note">
          {blocked}
        </p>
      )}
      {asked.error && (
        <p className="form-error" role="alert">
          {asked.error}
        </p>
      )}
      <dl className="facts">
        {d && (
          <>
            <dt>deployer</dt>
            <dd data-deployment={d.state}>
              <strong>{deploymentText(d)}</strong>
              {d.deployer && <span className="muted"> · {d.deployer}</span>} · {when(d.at)}
              {d.commit && (
                <span className="muted">
                  {' '}
                  · commit <code>{shortSha(d.commit)}</code>
                </span>
              )}
              {d.message && <p className="deployer-message">{d.message}</p>}
            </dd>
          </>
        )}
        {v && (
          <>
            <dt>verification</dt>
            <dd data-verification={v.state}>
              <strong>{verificationText(v)}</strong>
              {v.run > 0 && <span className="muted"> · run {v.run}</span>} · {when(v.at)}
              {v.reason && <p className="verification-reason">{v.reason}</p>}
            </dd>
          </>
        )}
      </dl>
      {checks.resource.status === 'loading' && <Loading what="Loading check results" />}
      {checks.resource.status === 'error' && <ErrorNotice error={checks.resource.error} retry={checks.reload} />}
      {latest && (
        <>
          <h4>Checks{runs.length > 1 || latest.run !== v?.run ? ` (run ${latest.run})` : ''}</h4>
          <ul className="checks" aria-label={`Check results of run ${latest.run}`}>
            {latest.results.map((e) => (
              <CheckResultItem key={e.name} entry={e} />
            ))}
          </ul>
        </>
      )}
      {earlier.length > 0 && (
        <details className="earlier-runs">
          <summary>Earlier runs ({earlier.length})</summary>
          {earlier.map((r) => (
            <div key={r.run}>
              <h5>Run {r.run}</h5>
              <ul className="checks" aria-label={`Check results of run ${r.run}`}>
                {r.results.map((e) => (
                  <CheckResultItem key={e.name} entry={e} />
                ))}
              </ul>
            </div>
          ))}
        </details>
      )}
    </section>
  );
}
