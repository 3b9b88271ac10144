import type { ApiDeployerEvent } from '@gantry/api';
import { Link } from '../../app/Link.js';
import { pipelineHref } from '../../app/routes.js';
import { shortSha } from '../../shared/format.js';
import { StateBadge } from '../../shared/StateBadge.js';
import { mappingYaml, objectLabel } from './mapping.js';

/** One report: what it is about and says, which phases it concerns, or the mapping that would make it one's. */
export function DeployerEventItem(props: { event: ApiDeployerEvent }) {
  const e = props.event;
  const unmatched = e.matched.length === 0;
  return (
    <li className={`deployer-event${unmatched ? ' unmatched' : ''}`} data-object={e.object.name}>
      <div className="history-head">
        <StateBadge state={e.state} />
        <strong>{objectLabel(e)}</strong>
        <span className="muted">{e.deployer === 'argocd' ? 'Argo CD' : 'Flux'}</span>
        <span className="spacer" />
        <time dateTime={e.occurredAt} title={`received ${e.receivedAt}`}>
          {new Date(e.occurredAt).toLocaleString()}
        </time>
      </div>
      <div className="history-meta">
        {e.reason && <span>{e.reason}</span>}
        {e.commit ? (
          <span>
            commit <code>{shortSha(e.commit)}</code>
          </span>
        ) : (
          e.revision && (
            <span>
              revision <code>{e.revision}</code>
            </span>
          )
        )}
        {e.matched.map((m) => {
          const [pipeline = '', phase = ''] = m.split('/');
          return (
            <Link key={m} href={pipelineHref(pipeline, phase)}>
              {m}
            </Link>
          );
        })}
      </div>
      {e.message && <p className="deployer-message">{e.message}</p>}
      {unmatched &&
        (e.mapping ? (
          <div className="mapping-hint">
            No phase names this {e.object.kind}. The phase it applies would say, in gantry.yaml:
            <pre>
              <code>{mappingYaml(e.mapping)}</code>
            </pre>
          </div>
        ) : (
          <p className="mapping-hint">
            A phase cannot name a {e.object.kind}: point the Alert at the Kustomization or HelmRelease that applies it.
          </p>
        ))}
    </li>
  );
}
