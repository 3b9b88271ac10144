import { createHash } from 'node:crypto';
import type { Identity, Logger, Revision } from '@gantry/core';
import { SourceError } from '@gantry/core';
import { processInstanceId } from '@gantry/locks';
import { gitFailure, tail } from './classify.js';
import type { Clone, GitStats } from './clone.js';
import { formatCommitMessage } from './commit-message.js';
import { scrubSecrets } from './scrub.js';
import type { FileWrite } from './writer.js';
import { fastImportStream } from './writer.js';

/** What pushing a proposal branch did. */
export type ProposalPush =
  /** The phase's branch already holds the change: there is nothing to propose. */
  | { readonly kind: 'unchanged' }
  /**
   * The head branch holds one commit on top of `base` (the phase's branch tip). `pushed` is
   * false when it already held exactly this change on this base (nothing was pushed).
   */
  | {
      readonly kind: 'pushed';
      readonly base: string;
      readonly revision: Revision;
      readonly pushed: boolean;
      /** Commits someone else had put on the branch, replaced (only with `foreignCommits: replace`). */
      readonly replaced?: readonly ForeignCommit[];
    };

/** A commit on the proposal branch that Gantry did not write. */
export interface ForeignCommit {
  readonly sha: string;
  readonly author: string;
  readonly subject: string;
}

/** The proposal branch carries commits Gantry did not write, and the phase does not let Gantry replace them. */
export class ForeignCommitsError extends SourceError {
  constructor(
    readonly repository: string,
    readonly branch: string,
    readonly commits: readonly ForeignCommit[],
  ) {
    super(
      'proposal_branch_foreign',
      `the proposal branch "${branch}" of git repository "${repository}" has ${commits.length} commit(s) Gantry did not write (${commits
        .map((c) => `${c.sha.slice(0, 12)} "${c.subject}" by ${c.author}`)
        .join(
          ', ',
        )}): Gantry leaves them alone. Merge or close the pull request, delete the branch, or set proposal.foreignCommits: replace`,
      { repository, branch, commits: commits.map((c) => c.sha), retryable: false },
    );
  }
}

/**
 * Commits on `head` not on `base` that carry no `Gantry-Promotion-Id` trailer: someone pushed
 * them. Merge commits (the host's "update branch") bring nothing of their own and are not counted.
 */
async function foreignCommits(clone: Clone, base: string, head: string): Promise<ForeignCommit[]> {
  const out = await clone.git([
    'log',
    '--no-merges',
    '--format=%H%x1f%an <%ae>%x1f%s%x1f%(trailers:key=Gantry-Promotion-Id,valueonly,separator=%x2c)%x1e',
    head,
    `^${base}`,
  ]);
  return out
    .split('\x1e')
    .map((r) => r.trim())
    .filter((r) => r.length > 0)
    .map((r) => r.split('\x1f'))
    .filter(([, , , trailer]) => (trailer ?? '').trim().length === 0)
    .map(([sha = '', author = '', subject = '']) => ({ sha, author, subject }));
}

export interface ProposalBranchOptions {
  readonly clone: Clone;
  readonly author: Identity;
  readonly committer: Identity;
  readonly secrets: readonly string[];
  readonly stats: GitStats;
  readonly logger: Logger;
}

/**
 * Writes a proposal: one commit with the change on top of the phase's branch tip (fetched
 * now, so a proposal never starts behind), force-pushed to the proposal branch. The branch is
 * Gantry's own: a newer version replaces its commit. The same change on the same base is not
 * pushed again (the pull request keeps its head, and its checks).
 */
export async function pushProposalBranch(
  o: ProposalBranchOptions,
  baseBranch: string,
  headBranch: string,
  w: FileWrite,
  foreign: 'refuse' | 'replace' = 'refuse',
): Promise<ProposalPush> {
  const { clone } = o;
  if (headBranch === baseBranch)
    throw new SourceError(
      'proposal_unsupported',
      `the proposal branch "${headBranch}" is the phase's own branch: configure another proposal branch`,
      { repository: clone.name, branch: baseBranch },
    );
  await clone.fresh(Date.now());
  const base = await clone.tip(baseBranch, false);
  const texts = await Promise.all(w.paths.map((p) => clone.readFile(base, p)));
  const changed = w.apply(Object.fromEntries(w.paths.map((p, i) => [p, texts[i]])), base);
  if (!changed || Object.keys(changed).length === 0) return { kind: 'unchanged' };

  const seconds = Math.floor(Date.now() / 1000);
  const author = w.author ?? o.author;
  const message = formatCommitMessage(w.message, w.trailers);
  const key = createHash('sha256').update(headBranch).digest('hex').slice(0, 12);
  const ref = `refs/gantry/propose/${processInstanceId}/${key}`;
  await clone.git(['fast-import', '--quiet', '--force', '--date-format=raw'], {
    input: fastImportStream(
      ref,
      base,
      [{ request: 0, files: changed, author, message, seconds, revision: {} }],
      o.committer,
    ),
  });
  const sha = (await clone.git(['rev-parse', ref])).trim();
  await clone.git(['update-ref', '-d', ref]);
  const revision: Revision = {
    id: sha,
    time: new Date(seconds * 1000),
    author: `${author.name} <${author.email}>`,
    message: w.message.replace(/\s+$/, ''),
    trailers: { ...w.trailers },
  };

  // the branch already proposes exactly this on this base: keep its commit (and the checks run on it)
  const current = await clone.tip(headBranch, false).catch(() => undefined);
  const others = current ? await foreignCommits(clone, base, current) : [];
  if (others.length > 0 && foreign === 'refuse') throw new ForeignCommitsError(clone.name, headBranch, others);
  if (current && others.length === 0) {
    const same = await clone
      .git(['rev-parse', `${current}^`, `${current}^{tree}`, `${sha}^{tree}`])
      .then((out) => {
        const [parent, tree, ours] = out.trim().split('\n');
        return parent === base && tree === ours;
      })
      .catch(() => false);
    if (same)
      return { kind: 'pushed', base, revision: { ...revision, ...(await commitOf(clone, current)) }, pushed: false };
  }

  const args = ['push', '--porcelain', '--force', clone.url, `${sha}:refs/heads/${headBranch}`];
  const out = await clone.remote(args);
  if (out.code !== 0) {
    const output = scrubSecrets(`${out.stdout}\n${out.stderr}`, o.secrets);
    if (/\[remote rejected\]|\[rejected\]/.test(output))
      throw new SourceError(
        'git_push_rejected',
        `push to proposal branch "${headBranch}" of git repository "${clone.name}" was refused: ${tail(output)}`,
        { repository: clone.name, url: clone.url, branch: headBranch, retryable: false },
      );
    throw gitFailure({ repository: clone.name, url: clone.url, command: 'push', stderr: output });
  }
  clone.pushed(headBranch, sha);
  o.stats.pushes++;
  o.stats.commits++;
  o.logger.info({ branch: headBranch, base: baseBranch, head: sha }, 'git push (proposal branch)');
  return { kind: 'pushed', base, revision, pushed: true, ...(others.length > 0 ? { replaced: others } : {}) };
}

/** The id and time of a commit already on the proposal branch. */
async function commitOf(clone: Clone, sha: string): Promise<Pick<Revision, 'id' | 'time'>> {
  const seconds = Number((await clone.git(['show', '-s', '--format=%ct', sha])).trim());
  return { id: sha, ...(Number.isFinite(seconds) ? { time: new Date(seconds * 1000) } : {}) };
}
