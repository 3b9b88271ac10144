import type { ApiLineageVersion } from '@gantry/api';
import { useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { useLiveEvents } from '../../api/events-context.js';
import { useResource } from '../../api/use-resource.js';
import { ErrorNotice } from '../../shared/ErrorNotice.js';
import { isHttpUrl, localTime } from '../../shared/format.js';
import { Loading } from '../../shared/Loading.js';
import { PromoteDialog } from '../phase/PromoteDialog.js';
import { cellOrigin, cellText } from './lineage-format.js';
import '../chain/chain.css';

type Picked = { readonly version: ApiLineageVersion; readonly phase: string } | undefined;

const Anchor = (props: { href: string | undefined; children: string }) =>
  props.href && isHttpUrl(props.href) ? (
    <a href={props.href} target="_blank" rel="noreferrer">
      {props.children}
    </a>
  ) : null;

/**
 * A pipeline's versions and where each has been (Kargo's freight): one row per version, newest
 * first, one column per phase with when it entered and left and whether it was verified there.
 * Any version, also one found only in a phase's Git history, can be released to a phase it is
 * not in, with the diff preview of the promote dialog. Reloaded when a promotion lands.
 */
export function LineageSection(props: { pipeline: string }) {
  const { client } = useApi();
  const { pipeline } = props;
  const lineage = useResource(() => client.lineage(pipeline), `lineage:${pipeline}`);
  const [picked, setPicked] = useState<Picked>(undefined);
  useLiveEvents((s) => {
    if (
      (s.type === 'promotion' && s.promotion.pipeline === pipeline && s.promotion.state === 'succeeded') ||
      s.type === 'reconnected'
    )
      lineage.reload();
  });

  return (
    <section className="lineage" aria-label="Lineage">
      <h2>Lineage</h2>
      {lineage.resource.status === 'loading' && <Loading what="Reading the lineage" />}
      {lineage.resource.status === 'error' && <ErrorNotice error={lineage.resource.error} retry={lineage.reload} />}
      {lineage.resource.status === 'ok' && (
        <div className="table-scroll">
          <table className="lineage-table">
            <thead>
              <tr>
                <th scope="col">Version</th>
                {lineage.resource.data.phases.map((p) => (
                  <th scope="col" key={p.phase}>
                    {p.phase}
                  </th>
                ))}
                <th scope="col">Release</th>
              </tr>
            </thead>
            <tbody>
              {lineage.resource.data.versions.map((v) => (
                <tr key={v.digest} data-digest={v.digest}>
                  <th scope="row">
                    <code>{v.version}</code>
                    <div className="muted lineage-links">
                      <Anchor href={v.links.sourceCommit}>commit</Anchor> <Anchor href={v.links.ciRun}>CI run</Anchor>{' '}
                      <Anchor href={v.links.image}>image</Anchor>
                    </div>
                  </th>
                  {v.phases.map((c) => (
                    <td
                      key={c.phase}
                      className={c.current ? 'lineage-current' : undefined}
                      data-phase={c.phase}
                      data-verified={c.verified}
                    >
                      {cellText(c, localTime)}
                      {c.current && <span className="label-chip">now</span>}
                      {c.verified && (
                        <span
                          className="verified-mark"
                          title={c.verifiedAt ? `verified ${localTime(c.verifiedAt)}` : 'verified'}
                        >
                          {' '}
                          ✓ verified
                        </span>
                      )}
                      {cellOrigin(c) && <div className="muted">{cellOrigin(c)}</div>}
                    </td>
                  ))}
                  <td>
                    {lineage.resource.status === 'ok' &&
                      lineage.resource.data.phases
                        .filter((p) => p.writable && !v.phases.find((c) => c.phase === p.phase)?.current)
                        .map((p) => (
                          <button
                            key={p.phase}
                            type="button"
                            aria-label={`Release ${v.version} to ${p.phase}`}
                            onClick={() => setPicked({ version: v, phase: p.phase })}
                          >
                            to {p.phase}
                          </button>
                        ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {picked && (
        <PromoteDialog
          pipeline={pipeline}
          phase={picked.phase}
          release={{ spec: picked.version.release, version: picked.version.version }}
          onClose={() => setPicked(undefined)}
          onQueued={() => lineage.reload()}
        />
      )}
    </section>
  );
}
