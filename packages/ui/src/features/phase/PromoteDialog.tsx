import type { ApiMe } from '@gantry/client';
import type { ApiPromotion, ApiReleaseSpec } from '@gantry/api';
import { useMemo, useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { describeError } from '../../api/describe-error.js';
import { useResource } from '../../api/use-resource.js';
import { Dialog } from '../../shared/Dialog.js';
import { ErrorNotice } from '../../shared/ErrorNotice.js';
import { Loading } from '../../shared/Loading.js';
import { roleToPromote } from '../auth/permissions.js';
import { blockedText, readVerdicts, requestLabel, requestOutlook } from '../gates/gate-format.js';
import type { WhyView } from '../gates/WhySection.js';
import { WhySection } from '../gates/WhySection.js';
import { DiffView } from './DiffView.js';

function access(me: ApiMe | undefined, pipeline: string, phase: string): string {
  if (!me) return 'The server decides who may promote.';
  if (me.open) return 'Open server: no token exists, everyone may promote.';
  return `Needs role ${roleToPromote(me.permissions, pipeline, phase)}; you are ${me.name} (${me.role}).`;
}

/**
 * Shows the diff a promotion (or a rollback to an earlier promotion) would write and the gates'
 * verdicts for that version (`why`), then promotes on confirmation: a request that waits when a
 * gate waits, and none while a gate blocks. Enter confirms, Escape cancels.
 */
export function PromoteDialog(props: {
  pipeline: string;
  phase: string;
  rollbackOf?: ApiPromotion;
  /** Release this version instead of the upstream's (picked from the lineage): how to name it, and how to show it. */
  release?: { readonly spec: ApiReleaseSpec; readonly version: string };
  onClose: () => void;
  onQueued: (p: ApiPromotion) => void;
}) {
  const { client, me } = useApi();
  const { pipeline, phase, rollbackOf, release } = props;
  const releaseKey = release ? JSON.stringify(release.spec) : '';
  const { resource: plan, reload } = useResource(
    () => client.plan(pipeline, phase, rollbackOf ? { rollbackOf: rollbackOf.id } : (release?.spec ?? {})),
    `plan:${pipeline}:${phase}:${rollbackOf?.id ?? ''}:${releaseKey}`,
  );
  // the gates of the version this would promote (a rollback names its version, else the upstream's),
  // judged by the server as this person's release by hand: the click about to be made
  const why = useResource(
    () =>
      client.why(pipeline, phase, {
        as: 'person',
        ...(rollbackOf
          ? { digest: rollbackOf.toDigest }
          : release && 'digest' in release.spec
            ? { digest: release.spec.digest }
            : {}),
      }),
    `why:${pipeline}:${phase}:${rollbackOf?.id ?? ''}:${releaseKey}`,
  );
  const gates: WhyView | undefined = useMemo(() => {
    if (why.resource.status !== 'ok') return undefined;
    const verdicts = readVerdicts(why.resource.data.gates?.verdicts);
    const { holds, unfinished } = why.resource.data;
    return { verdicts, outlook: requestOutlook(verdicts), holds, unfinished };
  }, [why.resource]);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await client.promote(pipeline, phase, {
        ...(rollbackOf ? { rollbackOf: rollbackOf.id } : (release?.spec ?? {})),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      if (r.kind === 'queued') props.onQueued(r.promotion);
      props.onClose();
    } catch (e) {
      setError(describeError(e).detail);
      setBusy(false);
    }
  };

  const outlook = gates?.outlook;
  const blockedByGate = outlook?.outcome === 'block' ? blockedText(outlook.blocking) : undefined;
  // until the gates are known the button's words could change under the pointer; a failed `why` leaves it to the server
  const canConfirm =
    plan.status === 'ok' &&
    plan.data.kind === 'promote' &&
    !busy &&
    why.resource.status !== 'loading' &&
    !blockedByGate;
  const label = busy
    ? 'Starting…'
    : outlook?.outcome === 'wait'
      ? requestLabel(outlook.waiting)
      : rollbackOf
        ? 'Roll back'
        : release
          ? 'Release'
          : 'Promote';
  const moved =
    plan.status === 'ok' &&
    plan.data.kind === 'promote' &&
    why.resource.status === 'ok' &&
    why.resource.data.plan.kind === 'promote' &&
    why.resource.data.plan.target.digest !== plan.data.target.digest;
  const title = rollbackOf
    ? `Roll back ${pipeline}/${phase} to ${rollbackOf.toVersion}`
    : release
      ? `Release ${release.version} to ${pipeline}/${phase}`
      : `Promote ${pipeline}/${phase}`;
  return (
    <Dialog
      title={title}
      onClose={props.onClose}
      onConfirm={() => void confirm()}
      confirmLabel={label}
      confirmDisabled={!canConfirm}
      footerNote={
        error ? (
          <span className="form-error">{error}</span>
        ) : (
          blockedByGate &&
          plan.status === 'ok' &&
          plan.data.kind === 'promote' && <span className="gate-blocked">{blockedByGate}</span>
        )
      }
    >
      {plan.status === 'loading' && <Loading what="Computing the change" />}
      {plan.status === 'error' && <ErrorNotice error={plan.error} retry={reload} />}
      {plan.status === 'ok' && plan.data.kind === 'in-sync' && (
        <p>
          {phase} already runs <strong>{plan.data.current.version}</strong>: there is nothing to write.
        </p>
      )}
      {plan.status === 'ok' && plan.data.kind === 'blocked' && (
        <div className="notice error" role="alert">
          <strong>Cannot promote</strong>
          <p>{plan.data.reason}</p>
        </div>
      )}
      {plan.status === 'ok' && plan.data.kind === 'promote' && (
        <>
          <dl className="facts">
            <dt>from</dt>
            <dd>{plan.data.current?.version ?? '(empty)'}</dd>
            <dt>to</dt>
            <dd>
              <strong>{plan.data.target.version}</strong>
            </dd>
            <dt>why</dt>
            <dd>{plan.data.reason}</dd>
            <dt>commit</dt>
            <dd>
              <code>{plan.data.message}</code>
            </dd>
            <dt>access</dt>
            <dd>{access(me, pipeline, phase)}</dd>
          </dl>
          {why.resource.status === 'loading' && <Loading what="Checking the gates" />}
          {why.resource.status === 'error' && <ErrorNotice error={why.resource.error} retry={why.reload} />}
          {gates && <WhySection why={gates} rollback={!!rollbackOf} />}
          {moved && (
            <p className="notice" role="note">
              The upstream moved while this dialog opened: the gates above judge another version. Close and promote
              again.
            </p>
          )}
          <DiffView diff={plan.data.diff} />
          <label htmlFor="promote-reason">Note for the history (optional)</label>
          <input
            id="promote-reason"
            type="text"
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
            placeholder={rollbackOf ? 'why roll back' : 'why now'}
          />
        </>
      )}
    </Dialog>
  );
}
