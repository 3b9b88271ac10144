import type { NotificationEvent, NotificationPerson, NotificationTrigger, NotificationVersion } from './event.js';

/** The words every channel uses, so Slack, GitHub and logs tell the same story. */

export const TITLES: Record<NotificationEvent['type'], string> = {
  'promotion.succeeded': 'Promotion succeeded',
  'promotion.failed': 'Promotion failed',
  'verification.failed': 'Verification failed',
  'deployment.degraded': 'Deployment degraded',
  'approval.requested': 'Approval requested',
  'approval.decided': 'Approval decided',
};

/** `alice`, `schedule nightly`, `webhook from registry`, `policy auto-promotion`. */
export function describeTrigger(t: NotificationTrigger): string {
  switch (t.kind) {
    case 'person':
      return t.actor;
    case 'schedule':
      return `schedule ${t.schedule}`;
    case 'webhook':
      return `webhook from ${t.source}`;
    case 'policy':
      return `policy ${t.policy}`;
  }
}

/** `Alice Doe <alice@example.com>`, or whatever part is known. */
export function describePerson(p: NotificationPerson): string | undefined {
  const name = p.name ?? p.login;
  if (name && p.email) return `${name} <${p.email}>`;
  return name ?? p.email;
}

export const describeVersion = (v: NotificationVersion | null): string => (v ? v.version : '(none)');

/** `1.2.3 -> 1.2.4`, or just the new version for a phase's first. */
export function describeChange(e: NotificationEvent, arrow = '->'): string {
  return e.from ? `${describeVersion(e.from)} ${arrow} ${describeVersion(e.to)}` : describeVersion(e.to);
}

/** The event's own words: the failure, or what the approval needs or was; none for a success. */
export function eventDetail(e: NotificationEvent): { summary: string; output?: string } | undefined {
  switch (e.type) {
    case 'promotion.succeeded':
      return undefined;
    case 'promotion.failed':
      return { summary: `${e.error.code}: ${e.error.message}` };
    case 'verification.failed':
      return {
        summary: `check ${e.check.name}${e.check.kind ? ` (${e.check.kind})` : ''}: ${e.check.message}`,
        ...(e.check.output ? { output: e.check.output } : {}),
      };
    case 'deployment.degraded':
      return {
        summary: `${e.deployment.deployer ?? 'deployer'}${e.deployment.object ? ` ${e.deployment.object}` : ''} ${e.deployment.state}: ${e.deployment.message}`,
      };
    case 'approval.requested':
      return { summary: approvalNeeds(e.approval) };
    case 'approval.decided':
      return { summary: e.approval.reason };
  }
}

/** Cuts `text` to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

export const shortSha = (sha: string): string => sha.slice(0, 7);

/**
 * `needs 2 approvals from a promoter or admin (1 so far; not alice, who requested it)`: how many
 * approvals are still needed, and from whom, in the words of the gate's verdict.
 */
export function approvalNeeds(a: {
  required: number;
  approved: number;
  eligible: { text: string };
  requester?: string | undefined;
}): string {
  const missing = Math.max(0, a.required - a.approved);
  const notes = [
    ...(a.approved > 0 ? [`${a.approved} of ${a.required} so far`] : []),
    ...(a.requester ? [`not ${a.requester}, who requested it`] : []),
  ];
  return `needs ${missing} more approval${missing === 1 ? '' : 's'} from ${a.eligible.text}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}
