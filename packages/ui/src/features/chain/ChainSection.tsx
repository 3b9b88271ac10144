import type { ApiChainLink } from '@gantry/api';
import { useApi } from '../../api/api-context.js';
import { useResource } from '../../api/use-resource.js';
import { ErrorNotice } from '../../shared/ErrorNotice.js';
import { isHttpUrl, localTime } from '../../shared/format.js';
import { Loading } from '../../shared/Loading.js';
import { linkTitle, stateWord } from './chain-format.js';
import './chain.css';

/** A link's page, when it is a web page (templates may be anything; only http(s) is linked). */
function Page(props: { url: string | undefined; children: React.ReactNode }) {
  return props.url && isHttpUrl(props.url) ? (
    <a href={props.url} target="_blank" rel="noreferrer">
      {props.children}
    </a>
  ) : (
    <>{props.children}</>
  );
}

function ChainStep(props: { link: ApiChainLink }) {
  const l = props.link;
  return (
    <li className={`chain-link chain-${l.state}`} data-kind={l.kind} data-state={l.state}>
      <span className="chain-dot" aria-hidden="true" />
      <div className="chain-body">
        <div className="chain-head">
          <strong>{linkTitle(l.kind)}</strong>{' '}
          <span className={`chain-state state-${l.state}`}>{stateWord(l.state)}</span>
        </div>
        <div className="chain-summary">
          <Page url={l.url}>{l.summary}</Page>
        </div>
        {l.kind === 'ci' && l.steps.length > 0 && (
          <ul className="chain-steps">
            {l.steps.map((s) => (
              <li key={s.name} data-status={s.status}>
                <Page url={s.url}>{s.name}</Page>: {s.status}
              </li>
            ))}
          </ul>
        )}
        {(l.by || l.at) && (
          <div className="muted chain-meta">
            {l.by}
            {l.by && l.at ? ' · ' : ''}
            {l.at && <time dateTime={l.at}>{localTime(l.at)}</time>}
          </div>
        )}
      </div>
    </li>
  );
}

/**
 * How the version a phase runs got there, as a vertical timeline: source commit, CI run and
 * its steps, image, config commit, applied, healthy, verified; each with who and when, and a
 * link to its page. Loaded again when the phase's version changes.
 */
export function ChainSection(props: { pipeline: string; phase: string; digest: string | undefined }) {
  const { client } = useApi();
  const { pipeline, phase, digest } = props;
  const chain = useResource(
    () => client.chain(pipeline, phase, digest ? { digest } : {}),
    `chain:${pipeline}:${phase}:${digest ?? ''}`,
  );
  if (!digest) return null;
  return (
    <section className="chain" aria-label="How it got here">
      <h3>How it got here</h3>
      {chain.resource.status === 'loading' && <Loading what="Reading the chain" />}
      {chain.resource.status === 'error' && <ErrorNotice error={chain.resource.error} retry={chain.reload} />}
      {chain.resource.status === 'ok' && (
        <ol className="chain-timeline">
          {chain.resource.data.chain.map((l) => (
            <ChainStep key={l.kind} link={l} />
          ))}
        </ol>
      )}
    </section>
  );
}
