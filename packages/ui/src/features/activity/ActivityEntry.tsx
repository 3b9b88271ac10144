import { Link } from '../../app/Link.js';
import { pipelineHref } from '../../app/routes.js';
import { Age } from '../../shared/Age.js';
import { localTime } from '../../shared/format.js';
import { holdText } from '../../shared/hold-format.js';
import { StateBadge } from '../../shared/StateBadge.js';
import { deploymentText, verificationText } from '../../shared/tracking.js';
import { describeChange, describeTrigger, isRollback } from '../phase/history-format.js';
import type { ActivityItem } from './activity.js';
import { phaseOf, pipelineOf } from './activity.js';
import { artifactText } from './artifact-text.js';

const KIND_WORD: Readonly<Record<ActivityItem['kind'], string>> = {
  promotions: 'promotion',
  deployments: 'deployment',
  verifications: 'verification',
  holds: 'hold',
  artifacts: 'artifact',
};

/** Where it happened, as a link to the phase (or the pipeline, for a pause of all of it). */
function Place(props: { pipeline: string; phase: string | undefined }) {
  return (
    <Link href={pipelineHref(props.pipeline, props.phase)} className="activity-place">
      {props.pipeline}
      {props.phase !== undefined ? ` · ${props.phase}` : ''}
    </Link>
  );
}

/** What the state of a deployment or verification item is, as a badge word the styles colour. */
function What(props: { item: ActivityItem }) {
  const i = props.item;
  switch (i.kind) {
    case 'promotions': {
      const p = i.promotion;
      return (
        <>
          <StateBadge state={p.state} />
          <span className="change">{describeChange(p)}</span>
          <span className="activity-by">
            {isRollback(p) ? 'rollback ' : ''}by {describeTrigger(p)}
          </span>
        </>
      );
    }
    case 'deployments':
      return (
        <>
          <StateBadge state={i.deployment.state} />
          <span>
            {i.deployment.deployer ?? 'deployer'} reports {i.promotion.toVersion} {deploymentText(i.deployment)}
            {i.deployment.message ? `: ${i.deployment.message}` : ''}
          </span>
        </>
      );
    case 'verifications':
      return (
        <>
          <StateBadge state={i.verification.state === 'verified' ? 'passed' : i.verification.state} />
          <span>
            {i.promotion.toVersion} {verificationText(i.verification)}
            {i.verification.run > 1 ? ` (run ${i.verification.run})` : ''}
            {i.verification.failed?.length ? `: ${i.verification.failed.join(', ')}` : ''}
          </span>
        </>
      );
    case 'holds':
      return (
        <>
          <StateBadge state={i.change === 'set' ? (i.hold.kind === 'pin' ? 'pinned' : 'paused') : 'released'} />
          <span>
            {i.change === 'set'
              ? holdText(i.hold)
              : `${i.hold.kind === 'pin' ? 'unpinned' : 'resumed'}${i.hold.releasedBy ? ` by ${i.hold.releasedBy}` : ''}`}
          </span>
        </>
      );
    case 'artifacts':
      return (
        <>
          <StateBadge
            state={i.artifact.verified ? 'verified' : 'unverified'}
            {...(i.artifact.unverifiedReason ? { title: i.artifact.unverifiedReason } : {})}
          />
          <span>{artifactText(i.artifact, i.outcome)}</span>
          {i.artifact.ci.runUrl ? (
            <a className="activity-run" href={i.artifact.ci.runUrl} target="_blank" rel="noreferrer">
              run
            </a>
          ) : null}
        </>
      );
  }
}

/** One line of the activity feed: when (counting up), what kind, where, and what happened in words. */
export function ActivityEntry(props: { item: ActivityItem }) {
  const i = props.item;
  const pipeline = pipelineOf(i);
  const phase = phaseOf(i);
  return (
    <li className={`activity-item activity-${i.kind}`} data-kind={i.kind} data-pipeline={pipeline}>
      <span className="activity-when" title={localTime(i.at)}>
        <Age since={i.at} suffix=" ago" />
      </span>
      <span className="activity-kind">{KIND_WORD[i.kind]}</span>
      {i.kind === 'artifacts' && i.artifact.pipelines.length === 0 ? (
        // no configured pipeline reads it: nowhere to link
        <span className="activity-place">{pipeline}</span>
      ) : (
        <Place pipeline={pipeline} phase={phase} />
      )}
      <span className="activity-what">
        <What item={i} />
      </span>
    </li>
  );
}
