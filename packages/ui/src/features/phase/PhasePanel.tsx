import type { ApiPhaseStatus, ApiPromotion } from '@gantry/api';
import { useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { useOfflineReason } from '../../api/connection.js';
import { useLiveEvents } from '../../api/events-context.js';
import { upsertPromotion } from '../../api/live-updates.js';
import { useResource } from '../../api/use-resource.js';
import { ErrorNotice } from '../../shared/ErrorNotice.js';
import { Loading } from '../../shared/Loading.js';
import { StateBadge } from '../../shared/StateBadge.js';
import { promoteBlockedReason } from '../auth/permissions.js';
import { WaitingPromotions } from '../gates/WaitingPromotions.js';
import { ChainSection } from '../chain/ChainSection.js';
import { HoldsSection } from '../holds/HoldsSection.js';
import { CurrentResource } from './CurrentResource.js';
import { HistoryTimeline } from './HistoryTimeline.js';
import { PromoteDialog } from './PromoteDialog.js';
import { VerificationSection } from './VerificationSection.js';

type Open = { readonly kind: 'promote' } | { readonly kind: 'rollback'; readonly of: ApiPromotion } | undefined;

/**
 * A phase: promotions waiting on their gates (Approve / Reject), what it runs, how that version
 * fares (deployer, verification, checks), its pins and pauses, its history, Promote and Rollback (disabled with the
 * reason when not allowed). Live: promotion events update the waiting ones and the history.
 */
export function PhasePanel(props: { pipeline: string; status: ApiPhaseStatus }) {
  const { client, me } = useApi();
  const { pipeline, status } = props;
  const phase = status.phase;
  const history = useResource(() => client.history(pipeline, { phase, limit: 50 }), `history:${pipeline}:${phase}`);
  const [open, setOpen] = useState<Open>(undefined);
  const offline = useOfflineReason();
  const blocked = offline ?? promoteBlockedReason(me, pipeline, status);
  // nothing to promote: the phase runs what its upstreams hold (a rollback stays possible)
  const inSync =
    status.state === 'in-sync'
      ? `Already in sync: ${phase} runs what ${status.upstreams.map((u) => u.phase).join(' and ')} ${status.upstreams.length > 1 ? 'hold' : 'holds'}${status.version ? ` (${status.version})` : ''}`
      : undefined;
  const promoteBlocked = blocked ?? inSync;

  const addPromotion = (p: ApiPromotion) => history.update((h) => ({ ...h, items: [...upsertPromotion(h.items, p)] }));
  useLiveEvents((s) => {
    if (s.type === 'promotion' && s.promotion.pipeline === pipeline && s.promotion.phase === phase)
      addPromotion(s.promotion);
    else if (s.type === 'reconnected') history.reload();
  });

  return (
    <section className="phase-panel" aria-label={`Phase ${phase}`}>
      <div className="panel-head">
        <h2>{phase}</h2>
        <StateBadge state={status.state} />
        <span className="spacer" />
        {status.writable && (
          <button
            type="button"
            className="primary"
            disabled={!!promoteBlocked}
            title={promoteBlocked}
            onClick={() => setOpen({ kind: 'promote' })}
          >
            Promote
          </button>
        )}
      </div>
      {promoteBlocked && status.writable && (
        <p className="blocked-reason" role="note">
          {promoteBlocked}
        </p>
      )}
      <div className="panel-body">
        <div className="panel-main">
          {history.resource.status === 'ok' && (
            <WaitingPromotions items={history.resource.data.items} onDecided={addPromotion} />
          )}
          <CurrentResource status={status} />
          <ChainSection pipeline={pipeline} phase={phase} digest={status.digest} />
          <HoldsSection pipeline={pipeline} status={status} />
          <VerificationSection pipeline={pipeline} status={status} />
        </div>
        <section className="timeline" aria-label="Promotion history">
          <h3>History</h3>
          {history.resource.status === 'loading' && <Loading what="Loading history" />}
          {history.resource.status === 'error' && <ErrorNotice error={history.resource.error} retry={history.reload} />}
          {history.resource.status === 'ok' && (
            <HistoryTimeline
              items={history.resource.data.items}
              currentDigest={status.digest}
              currentCommit={status.setBy}
              blockedReason={blocked}
              onRollback={(p) => setOpen({ kind: 'rollback', of: p })}
            />
          )}
        </section>
      </div>
      {open && (
        <PromoteDialog
          pipeline={pipeline}
          phase={phase}
          {...(open.kind === 'rollback' ? { rollbackOf: open.of } : {})}
          onClose={() => setOpen(undefined)}
          onQueued={addPromotion}
        />
      )}
    </section>
  );
}
