import type { ApiPhaseStatus } from '@gantry/api';
import { Age } from '../../shared/Age.js';
import { arrivedAt, isHttpUrl, shortSha } from '../../shared/format.js';

/** What the phase runs now: the resource's fields and the commit (or push) that put it there. */
export function CurrentResource(props: { status: ApiPhaseStatus }) {
  const s = props.status;
  const fields = Object.entries(s.resource ?? {}).filter(([k, v]) => k !== 'kind' && typeof v !== 'object');
  return (
    <section className="current" aria-label="Current resource">
      <h3>Current {s.resource?.kind ?? 'resource'}</h3>
      {!s.resource && <p className="hint">Nothing here yet: promote to write the first version.</p>}
      <dl className="facts">
        <dt>version</dt>
        <dd>
          <strong>{s.version ?? '—'}</strong>
          {s.age && (
            <span className="muted">
              {' '}
              · <Age since={arrivedAt(s)} fallbackMs={s.age.ms} suffix=" ago" />
            </span>
          )}
        </dd>
        {fields.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>
              <code>{String(v)}</code>
            </dd>
          </div>
        ))}
        <dt>source</dt>
        <dd>
          <code>{s.source}</code>
        </dd>
        {s.setBy && (
          <>
            <dt>set by</dt>
            <dd>
              {s.setBy.url ? (
                <a href={s.setBy.url} target="_blank" rel="noreferrer">
                  {shortSha(s.setBy.id)}
                </a>
              ) : (
                <code>{shortSha(s.setBy.id)}</code>
              )}
              {s.setBy.message && <span> {s.setBy.message.split('\n')[0]}</span>}
              {s.setBy.author && <span className="muted"> — {s.setBy.author}</span>}
            </dd>
          </>
        )}
        {Object.entries(s.labels).map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>
              {isHttpUrl(v) ? (
                <a href={v} target="_blank" rel="noreferrer">
                  {v}
                </a>
              ) : (
                v
              )}
            </dd>
          </div>
        ))}
      </dl>
      {s.error && (
        <div className="notice error" role="alert">
          <strong>{s.error.code}</strong>
          <p>{s.error.message}</p>
        </div>
      )}
    </section>
  );
}
