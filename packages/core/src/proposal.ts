import type { PromotionPlan } from './plan.js';
import { renderTemplate } from './plan.js';
import type { ServiceKey } from './services.js';
import { serviceKey } from './services.js';

/**
 * How a phase's promotions reach its branch: `commit` pushes to the branch (the default);
 * `proposal` pushes a branch of its own and opens a pull request against the phase's branch,
 * which people (or the provider's rules) merge.
 */
export type WriteMode = 'commit' | 'proposal';

/** A phase's proposal settings; every field has a default that reads well on GitHub. */
export interface ProposalOptions {
  /** The proposal's branch; `{{pipeline}}` and `{{phase}}` are replaced (`gantry/{{pipeline}}/{{phase}}`). */
  readonly branch?: string;
  /** Pull request title template (the promotion's data: see `proposalVars`). */
  readonly title?: string;
  /** Pull request body template (Markdown). */
  readonly body?: string;
  /** Labels put on the pull request. */
  readonly labels?: readonly string[];
  /** Users asked to review (logins). */
  readonly reviewers?: readonly string[];
  /** Teams asked to review (slugs). */
  readonly teamReviewers?: readonly string[];
  /** Users the pull request is assigned to (logins; GitLab: usernames, looked up). */
  readonly assignees?: readonly string[];
  /**
   * Merge by itself once the provider's required checks pass: GitHub's auto-merge, GitLab's
   * "merge when pipeline succeeds". Absent: people merge.
   */
  readonly autoMerge?: AutoMerge;
  /**
   * Commits on the proposal branch that Gantry did not write (someone pushed a fix onto it):
   * `refuse` (default) leaves the branch alone, says so on the pull request and fails the
   * promotion; `replace` rebuilds the branch on the target's tip without them, saying so.
   */
  readonly foreignCommits?: 'refuse' | 'replace';
}

/** How a proposal merges by itself. */
export interface AutoMerge {
  readonly method: 'merge' | 'squash' | 'rebase';
}

export const DEFAULT_PROPOSAL_BRANCH = 'gantry/{{pipeline}}/{{phase}}';
export const DEFAULT_PROPOSAL_TITLE = 'Promote {{pipeline}}/{{phase}} to {{version}}';
export const DEFAULT_PROPOSAL_BODY = [
  'Gantry proposes to promote **{{pipeline}}** into **{{phase}}**: {{previous}} → **{{version}}**{{fromText}}.',
  '',
  '{{reason}}',
  '',
  '{{commits}}',
  '',
  '```diff',
  '{{diff}}',
  '```',
  '',
  '{{link}}',
  '',
  '<sub>Opened by Gantry. Pushing a newer version updates this pull request; merging it is the promotion.</sub>',
].join('\n');

/** What a proposal asks of its provider, rendered from the templates. */
export interface ProposalRequest {
  /** The branch Gantry pushes the promotion's commit to. */
  readonly head: string;
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
  readonly reviewers: readonly string[];
  readonly teamReviewers: readonly string[];
  /** Absent: nobody is assigned. */
  readonly assignees?: readonly string[];
  readonly autoMerge?: AutoMerge;
  readonly foreignCommits?: 'refuse' | 'replace';
}

/** A pull request as Gantry records it. */
export type ProposalState = 'open' | 'merged' | 'closed';

/** The Git hosts that take proposals: GitHub pull requests, GitLab merge requests. */
export type ProposalProviderKind = 'github' | 'gitlab';

export interface ProposalRecord {
  readonly provider: ProposalProviderKind;
  /** `owner/name` on the provider. */
  readonly repository: string;
  readonly number: number;
  /** The web page of the pull request. */
  readonly url: string;
  readonly state: ProposalState;
  readonly headBranch: string;
  readonly headSha: string;
  readonly baseBranch: string;
  /** Set once merged: the commit the base branch got. */
  readonly mergedCommit?: string;
}

/**
 * The checks of a proposal's head as the provider reports them: GitHub's commit statuses and
 * check runs, GitLab's head pipeline. `pending` while any runs, `failure` once one failed.
 */
export interface ProposalChecks {
  readonly state: 'pending' | 'success' | 'failure';
  readonly total: number;
  readonly passed: number;
}

/** The answer of a conditional read: unchanged since `etag`, or the pull request now. */
export type ProposalRead =
  | { readonly notModified: true }
  | { readonly notModified: false; readonly proposal: ProposalRecord; readonly etag?: string };

/**
 * A Git host's pull requests for one repository (GitHub today). Implementations talk to the
 * provider's REST API; credentials never leave them.
 */
export interface ProposalProvider {
  readonly kind: ProposalProviderKind;
  /** `owner/name` (GitLab: the project's full path, `group/subgroup/name`). */
  readonly repository: string;
  /** How often open proposals are polled (ms); 0: never (webhooks only). */
  readonly pollIntervalMs: number;
  /**
   * Opens the pull request of `head` into `base`, or updates the open one (title, body):
   * one pull request per proposal branch, however many versions it carried.
   */
  open(request: ProposalRequest & { readonly base: string; readonly headSha: string }): Promise<ProposalRecord>;
  /** The pull request now; `etag` makes it a conditional request (304s cost no rate limit). */
  read(number: number, etag?: string): Promise<ProposalRead>;
  /** Comments why, then closes the pull request unmerged. */
  close(number: number, comment: string): Promise<ProposalRecord>;
  /** Comments on the pull request (leaves it open). */
  comment(number: number, body: string): Promise<void>;
  /** The open pull request of `head`, if there is one. */
  openFor(head: string): Promise<ProposalRecord | undefined>;
  /**
   * For a host whose own auto-merge could not be enabled: merges the pull request when its
   * checks passed (the host still enforces its required checks). Undefined: not (yet) merged.
   */
  mergeIfReady?(number: number, method: AutoMerge['method']): Promise<ProposalRecord | undefined>;
  /** The checks of the pull request's head commit (`headSha`) now. */
  checks?(number: number, headSha: string): Promise<ProposalChecks>;
}

/** Configured repository name -> its provider, for repositories that have one. */
export interface ProposalProviders {
  forRepository(repository: string): ProposalProvider | undefined;
  readonly all: ReadonlyMap<string, ProposalProvider>;
}

export const proposalProvidersKey: ServiceKey<ProposalProviders> = serviceKey<ProposalProviders>('proposal-providers');

/**
 * The source commits the two versions were built from, where CI reported them (its artifact
 * reports), and the forge's page comparing them when both are known in one repository.
 */
export interface ProposalSourceCommits {
  /** The commit the version being replaced was built from. */
  readonly from?: string;
  /** The commit the promoted version was built from. */
  readonly to?: string;
  /** `<repository>/compare/<from>...<to>` (GitLab: `/-/compare/`). */
  readonly compareUrl?: string;
}

/** Looks up the source commits of a proposal's two versions (the server asks its artifact reports). */
export type ProposalCommitsLookup = (q: {
  readonly pipeline: string;
  readonly phase: string;
  readonly from?: { readonly digest: string; readonly resource: unknown };
  readonly to: { readonly digest: string; readonly resource: unknown };
}) => Promise<ProposalSourceCommits | undefined>;

const short = (sha: string) => sha.slice(0, 12);

/** The `{{commits}}` line: a compare link, or the two commits, or the one known. */
function commitsText(c: ProposalSourceCommits | undefined): string {
  if (!c?.to) return '';
  if (c.from && c.from !== c.to && c.compareUrl)
    return `Source changes: [\`${short(c.from)}...${short(c.to)}\`](${c.compareUrl})`;
  if (c.from && c.from !== c.to) return `Source changes: \`${short(c.from)}\` → \`${short(c.to)}\``;
  return `Built from source commit \`${short(c.to)}\`.`;
}

/** The words a proposal's templates may use, from the plan and where the dashboard shows the promotion. */
export function proposalVars(
  plan: Extract<PromotionPlan, { kind: 'promote' }>,
  promotionUrl: string | undefined,
  commits?: ProposalSourceCommits,
): Record<string, string> {
  return {
    sourceFrom: commits?.from ?? '',
    sourceTo: commits?.to ?? '',
    compareUrl: commits?.compareUrl ?? '',
    commits: commitsText(commits),
    pipeline: plan.pipeline,
    phase: plan.phase,
    from: plan.from ?? '',
    fromText: plan.from ? ` from ${plan.from}` : '',
    version: plan.target.version,
    digest: plan.target.digest,
    previous: plan.current?.version ?? '(nothing)',
    reason: plan.reason,
    diff: plan.diff.replace(/```/g, '` ` `').trimEnd(),
    files: plan.edits.map((e) => e.path).join(', '),
    url: promotionUrl ?? '',
    link: promotionUrl ? `[The promotion in Gantry](${promotionUrl})` : '',
  };
}

/** The proposal a phase asks for, for this plan: branch, title, body, labels, reviewers. */
export function renderProposal(
  plan: Extract<PromotionPlan, { kind: 'promote' }>,
  options: ProposalOptions | undefined,
  promotionUrl?: string,
  commits?: ProposalSourceCommits,
): ProposalRequest {
  const vars = proposalVars(plan, promotionUrl, commits);
  return {
    head: renderTemplate(options?.branch ?? DEFAULT_PROPOSAL_BRANCH, vars),
    title: renderTemplate(options?.title ?? DEFAULT_PROPOSAL_TITLE, vars)
      .replace(/\s+/g, ' ')
      .trim(),
    // a word with nothing to say (no commits known) leaves no run of blank lines behind
    body: renderTemplate(options?.body ?? DEFAULT_PROPOSAL_BODY, vars).replace(/\n{3,}/g, '\n\n'),
    labels: options?.labels ?? [],
    reviewers: options?.reviewers ?? [],
    teamReviewers: options?.teamReviewers ?? [],
    ...(options?.assignees?.length ? { assignees: options.assignees } : {}),
    ...(options?.autoMerge ? { autoMerge: options.autoMerge } : {}),
    ...(options?.foreignCommits ? { foreignCommits: options.foreignCommits } : {}),
  };
}
