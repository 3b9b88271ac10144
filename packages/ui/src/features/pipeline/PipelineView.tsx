import { useCallback, useMemo } from 'react';
import { Link } from '../../app/Link.js';
import { navigate } from '../../app/navigation.js';
import { pipelineHref } from '../../app/routes.js';
import { useApi } from '../../api/api-context.js';
import { useLiveEvents } from '../../api/events-context.js';
import { applyToPipeline, upsertPromotion } from '../../api/live-updates.js';
import { useResource } from '../../api/use-resource.js';
import { Empty } from '../../shared/Empty.js';
import { ErrorNotice } from '../../shared/ErrorNotice.js';
import { labelPairs } from '../../shared/format.js';
import { Loading } from '../../shared/Loading.js';
import { LineageSection } from '../lineage/LineageSection.js';
import { PhasePanel } from '../phase/PhasePanel.js';
import { lastPromotionByPhase } from './last-promotions.js';
import { PhaseTabs } from './PhaseTabs.js';
import { PipelineGraph } from './PipelineGraph.js';
import { RereadButton } from './RereadButton.js';

/** One pipeline: its phases as a graph, and the selected phase's panel. Loaded on demand (code-split). */
export default function PipelineView(props: { pipeline: string; phase: string | undefined }) {
  const { client } = useApi();
  const name = props.pipeline;
  const status = useResource(() => client.getPipeline(name), `pipeline:${name}`);
  const history = useResource(() => client.history(name, { limit: 100 }), `history:${name}`);

  useLiveEvents((s) => {
    if (s.type === 'reconnected') {
      status.reload();
      history.reload();
    } else if (s.type === 'phase' && s.status.pipeline === name) {
      status.update((p) => applyToPipeline(p, s.status));
    } else if (s.type === 'promotion' && s.promotion.pipeline === name) {
      // the phase's new version arrives as a phase event once the server has read it again; a
      // read here could answer before that and overwrite the newer state with the older one
      history.update((h) => ({ ...h, items: [...upsertPromotion(h.items, s.promotion)] }));
    }
  });

  const { update } = status;
  const reread = useCallback(async () => {
    const fresh = await client.getPipeline(name, { refresh: true });
    update(() => fresh);
  }, [client, name, update]);

  const lastByPhase = useMemo(
    () => lastPromotionByPhase(history.resource.status === 'ok' ? history.resource.data.items : []),
    [history.resource],
  );

  if (status.resource.status === 'loading') return <Loading what={`Loading ${name}`} />;
  if (status.resource.status === 'error')
    return (
      <main className="page">
        <ErrorNotice error={status.resource.error} retry={status.reload} />
        <Link href="/">Back to the overview</Link>
      </main>
    );
  const p = status.resource.data;
  const selected = p.phases.find((ph) => ph.phase === props.phase);
  return (
    <main className="page pipeline">
      <div className="crumbs">
        <Link href="/">Overview</Link> / <h1>{p.pipeline}</h1>
        {labelPairs(p.labels).map((l) => (
          <span key={l} className="label-chip">
            {l}
          </span>
        ))}
        <RereadButton reread={reread} />
      </div>
      <PipelineGraph
        phases={p.phases}
        lastByPhase={lastByPhase}
        selected={props.phase}
        onSelect={(ph) => navigate(pipelineHref(name, ph))}
      />
      <PhaseTabs pipeline={name} phases={p.phases} selected={props.phase} />
      {selected ? (
        <PhasePanel key={selected.phase} pipeline={name} status={selected} />
      ) : props.phase !== undefined ? (
        <Empty title={`${name} has no phase “${props.phase}”`}>
          Phases: {p.phases.map((ph) => ph.phase).join(', ')}
        </Empty>
      ) : (
        <p className="hint">Select a phase (in the graph or above) to see its history and promote it.</p>
      )}
      <LineageSection pipeline={name} />
    </main>
  );
}
