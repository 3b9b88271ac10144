import type { CommitRef, NotificationEvent } from './event.js';

/** Where a message points people to; each only when it can be built. */
export interface NotificationLinks {
  /** The promotion in the dashboard (needs `dashboardUrl`). */
  readonly promotion?: string;
  /** The source commit of the version. */
  readonly commit?: string;
  /** Gantry's commit in the config repository. */
  readonly configCommit?: string;
}

export interface LinkSettings {
  /** The dashboard's public base URL. */
  readonly dashboardUrl?: string;
  /** `https://github.com/{repository}/commit/{sha}`: for commits with a repository but no URL. */
  readonly commitUrl?: string;
}

function commitLink(c: CommitRef | undefined, template: string | undefined): string | undefined {
  if (!c) return undefined;
  if (c.url) return c.url;
  if (!template || !c.repository) return undefined;
  return template.replaceAll('{repository}', c.repository).replaceAll('{sha}', c.sha);
}

/** The links of an event: the dashboard page of its phase with the promotion selected, and its commits. */
export function eventLinks(event: NotificationEvent, settings: LinkSettings): NotificationLinks {
  const base = settings.dashboardUrl?.replace(/\/+$/, '');
  const promotion = base
    ? `${base}/pipelines/${encodeURIComponent(event.pipeline)}/phases/${encodeURIComponent(event.phase)}?promotion=${encodeURIComponent(event.promotionId)}`
    : undefined;
  const commit = commitLink(event.sourceCommit, settings.commitUrl);
  const configCommit = commitLink(event.configCommit, settings.commitUrl);
  return {
    ...(promotion ? { promotion } : {}),
    ...(commit ? { commit } : {}),
    ...(configCommit ? { configCommit } : {}),
  };
}
