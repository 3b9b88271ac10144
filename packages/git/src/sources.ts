import type {
  Bundle,
  FileEdit,
  FileUpdater,
  GitCommit,
  HistoryEntry,
  HistoryReader,
  Observation,
  ProposeRequest,
  ProposeResult,
  ReadOnlySource,
  ReadWriteSource,
  Resource,
  Revision,
  Snapshot,
  SourceContext,
  SourceSubject,
  WriteRequest,
  WriteResult,
} from '@gantry/core';
import { proposalProvidersKey, SourceError } from '@gantry/core';
import type { GitRepository } from './repositories.js';
import { gitRepositoriesKey } from './repositories.js';
import { ForeignCommitsError } from './proposal-branch.js';
import type { FileWrite } from './writer.js';

export interface GitFileOptions<R extends Resource> {
  /** A repository name from the configured remotes. */
  readonly repository: string;
  /** Path inside the repository, e.g. `env/staging/deployment.yaml`. */
  readonly path: string;
  readonly updater: FileUpdater<R>;
  /** The repository's default branch when absent; set it for branch-per-environment layouts. */
  readonly branch?: string;
}

export interface GitFilesOptions<A extends Record<string, Resource>> {
  readonly repository: string;
  readonly branch?: string;
  readonly files: { readonly [K in keyof A]: { readonly path: string; readonly updater: FileUpdater<A[K]> } };
}

export interface GitBranchOptions {
  readonly repository: string;
  readonly branch: string;
}

const repo = (ctx: SourceContext, name: string): GitRepository => ctx.services.get(gitRepositoriesKey).repository(name);

const where = (repository: string, branch: string | undefined, path: string) =>
  `${repository}@${branch ?? '(default branch)'}:${path}`;

function missingFile(repository: string, branch: string | undefined, path: string, revision: string): SourceError {
  return new SourceError(
    'git_file_missing',
    `file "${path}" does not exist in git repository "${repository}" on branch "${branch ?? '(default)'}" (commit ${revision.slice(0, 12)})`,
    { repository, branch, path, revision },
  );
}

/** The text of `path` in a snapshot, or a clear error naming repository, branch and path. */
function textOf(snapshot: Snapshot, repository: string, branch: string | undefined, path: string): string {
  const text = snapshot.files[path];
  if (text === undefined) throw missingFile(repository, branch, path, snapshot.revision);
  return text;
}

/** The newest of several revisions (for a bundle read from several files). */
function newest(revisions: ReadonlyArray<Revision | undefined>): Revision | undefined {
  let best: Revision | undefined;
  for (const r of revisions) if (r && (!best || (r.time?.getTime() ?? 0) > (best.time?.getTime() ?? 0))) best = r;
  return best;
}

/** The commit a promotion wrote, by its `Gantry-Promotion-Id` trailer, on the source's branch. */
function findPromotion(
  ctx: SourceContext,
  repository: string,
  branch: string | undefined,
  promotionId: string,
): Promise<Revision | undefined> {
  const r = repo(ctx, repository);
  return r.findCommitByTrailer(branch ?? r.defaultBranch, 'Gantry-Promotion-Id', promotionId);
}

interface FileSpec {
  readonly name: string;
  readonly path: string;
  readonly updater: FileUpdater<Resource>;
}

/**
 * Shared by `gitFile` and `gitFiles`: several files of one branch, read and written together.
 * A class, its functions on the prototype: a fleet holds one per phase (20,000 at 10,000
 * pipelines), and a dozen closures each was a third of the server's heap.
 */
class FilesSource {
  readonly paths: readonly string[];
  readonly subject: SourceSubject;
  /** Updaters are pure: the same text read again gives the same resource, without parsing. */
  private readonly memo: Array<{ text: string; resource: Resource | undefined } | undefined>;

  /** `single`: one file (`gitFile`), described by its path alone, not as a set of files. */
  constructor(
    readonly repository: string,
    readonly branch: string | undefined,
    readonly specs: readonly FileSpec[],
    private readonly single = false,
  ) {
    this.paths = specs.map((s) => s.path);
    this.memo = specs.map(() => undefined);
    this.subject = { kind: 'git', repository, ...(branch ? { branch } : {}), paths: this.paths };
  }

  /** What the source's `describe()` says: `git config@main:env/a.yaml`, or `{a, b}` for several files. */
  label(): string {
    const at = `git ${this.repository}${this.branch ? `@${this.branch}` : ''}`;
    return this.single ? `${at}:${this.paths[0]}` : `${at}:{${this.paths.join(', ')}}`;
  }

  private parse(i: number, text: string, b: string): Resource | undefined {
    const m = this.memo[i];
    if (m && m.text === text) return m.resource;
    const s = this.specs[i] as FileSpec;
    const resource = s.updater.read(text, where(this.repository, b, s.path));
    this.memo[i] = { text, resource };
    return resource;
  }

  async read(ctx: SourceContext) {
    const r = repo(ctx, this.repository);
    const b = this.branch ?? r.defaultBranch;
    const snapshot = await r.snapshot(b, this.paths);
    const resources = this.specs.map((s, i) => this.parse(i, textOf(snapshot, this.repository, b, s.path), b));
    const changes = await Promise.all(this.paths.map((p) => r.lastChange(b, snapshot.revision, p)));
    return { snapshot, resources, setBy: newest(changes) };
  }

  edit(snapshot: Snapshot, values: readonly Resource[], b = this.branch): FileEdit[] {
    return this.specs.flatMap((s, i) => {
      const before = textOf(snapshot, this.repository, b, s.path);
      const after = s.updater.write(before, values[i] as Resource, where(this.repository, b, s.path));
      return after === before ? [] : [{ path: s.path, before, after }];
    });
  }

  /** The change a write or a proposal applies: `values` set into the files, on whatever tip it is applied to. */
  private fileWrite(request: WriteRequest<Resource>, values: readonly Resource[], b: string): FileWrite {
    return {
      paths: this.paths,
      apply: (texts, revision) => {
        const edits = this.edit({ revision, files: texts }, values, b);
        return edits.length === 0 ? undefined : Object.fromEntries(edits.map((e) => [e.path, e.after]));
      },
      message: request.message,
      trailers: request.trailers,
      ...(request.author ? { author: request.author } : {}),
    };
  }

  /** One commit setting `values` into the files, re-applied on whatever tip the writer builds on. */
  write(ctx: SourceContext, request: WriteRequest<Resource>, values: readonly Resource[]) {
    const r = repo(ctx, this.repository);
    const b = this.branch ?? r.defaultBranch;
    return r.write(b, this.fileWrite(request, values, b));
  }

  /**
   * The same commit as `write`, on the proposal branch on top of the phase's branch tip, and
   * the repository's provider opens (or updates) its pull request.
   */
  async propose(
    ctx: SourceContext,
    request: ProposeRequest<Resource>,
    values: readonly Resource[],
  ): Promise<ProposeResult> {
    const repository = this.repository;
    const r = repo(ctx, repository);
    const b = this.branch ?? r.defaultBranch;
    const provider = ctx.services.has(proposalProvidersKey)
      ? ctx.services.get(proposalProvidersKey).forRepository(repository)
      : undefined;
    if (!provider)
      throw new SourceError(
        'proposal_unsupported',
        `git repository "${repository}" has no provider: set repositories.${repository}.provider (kind: github, repository: owner/name) to open pull requests`,
        { repository },
      );
    const head = request.proposal.head;
    let pushed: Awaited<ReturnType<GitRepository['proposeOn']>>;
    try {
      pushed = await r.proposeOn(
        b,
        head,
        this.fileWrite(request, values, b),
        request.proposal.foreignCommits ?? 'refuse',
      );
    } catch (e) {
      // someone pushed onto the proposal branch: say so where people look, then fail the promotion
      if (e instanceof ForeignCommitsError) {
        const open = await provider.openFor(head).catch(() => undefined);
        if (open)
          await provider
            .comment(
              open.number,
              `Gantry did not update this branch for "${request.message.split('\n')[0]}": it has commits Gantry did not write (${e.commits.map((c) => `${c.sha.slice(0, 12)} by ${c.author}`).join(', ')}), and Gantry does not overwrite them. Merge or close this, or delete the branch, and promote again.`,
            )
            .catch(() => undefined);
      }
      throw e;
    }
    if (pushed.kind === 'unchanged') return { kind: 'unchanged' };
    const proposal = await provider.open({ ...request.proposal, base: b, headSha: pushed.revision.id });
    if (pushed.replaced)
      await provider
        .comment(
          proposal.number,
          `Gantry replaced commits it did not write on ${head} (${pushed.replaced.map((c) => `${c.sha.slice(0, 12)} "${c.subject}" by ${c.author}`).join(', ')}), as this phase is configured to (proposal.foreignCommits: replace).`,
        )
        .catch(() => undefined);
    return { kind: 'proposed', revision: pushed.revision, proposal, base: pushed.base, pushed: pushed.pushed };
  }

  /** What the files held after each of the newest `limit` commits that changed them, newest first. */
  async history(ctx: SourceContext, limit: number) {
    const r = repo(ctx, this.repository);
    const b = this.branch ?? r.defaultBranch;
    const revisions = await r.log(b, this.paths, limit);
    return Promise.all(
      revisions.map(async (revision) => {
        const snapshot = await r.readAt(revision.id, this.paths);
        const resources = this.specs.map((s, i) => {
          const text = snapshot.files[s.path];
          if (text === undefined) return undefined;
          try {
            return this.parse(i, text, b);
          } catch {
            // an old commit may hold a file this updater cannot read (before the layout it expects)
            return undefined;
          }
        });
        return { revision, resources };
      }),
    );
  }

  findPromotion(promotionId: string, ctx: SourceContext): Promise<Revision | undefined> {
    return findPromotion(ctx, this.repository, this.branch, promotionId);
  }
}

/**
 * A file in a Git config repository holding one resource, read at the branch tip and
 * written as a commit changing only what the updater changes.
 */
class GitFileSource<R extends Resource> implements ReadWriteSource<R>, HistoryReader<R> {
  readonly type = 'git';
  readonly writable = true;
  readonly subject: SourceSubject;
  private readonly described: string;

  constructor(private readonly files: FilesSource) {
    this.subject = files.subject;
    this.described = files.label();
  }

  describe(): string {
    return this.described;
  }

  async read(ctx: SourceContext): Promise<Observation<R>> {
    const { snapshot, resources, setBy } = await this.files.read(ctx);
    return { resource: resources[0] as R | undefined, snapshot, ...(setBy ? { setBy } : {}) };
  }

  edit(snapshot: Snapshot, target: R): FileEdit[] {
    return this.files.edit(snapshot, [target]);
  }

  write(request: WriteRequest<R>, ctx: SourceContext): Promise<WriteResult> {
    return this.files.write(ctx, request as WriteRequest<Resource>, [request.target]);
  }

  propose(request: ProposeRequest<R>, ctx: SourceContext): Promise<ProposeResult> {
    return this.files.propose(ctx, request as ProposeRequest<Resource>, [request.target]);
  }

  findPromotion(promotionId: string, ctx: SourceContext): Promise<Revision | undefined> {
    return this.files.findPromotion(promotionId, ctx);
  }

  async history(ctx: SourceContext, { limit }: { readonly limit: number }): Promise<Array<HistoryEntry<R>>> {
    return (await this.files.history(ctx, limit)).map((h) => ({
      revision: h.revision,
      resource: h.resources[0] as R | undefined,
    }));
  }
}

/** Several files of one branch holding a bundle; a promotion is one commit across them. */
class GitFilesSource<A extends Record<string, Resource>>
  implements ReadWriteSource<Bundle<A>>, HistoryReader<Bundle<A>>
{
  readonly type = 'git';
  readonly writable = true;
  readonly subject: SourceSubject;
  private readonly described: string;

  constructor(
    private readonly files: FilesSource,
    private readonly names: readonly string[],
  ) {
    this.subject = files.subject;
    this.described = files.label();
  }

  private values(target: Bundle<A>): Resource[] {
    return this.names.map((n) => target.artifacts[n as keyof A] as Resource);
  }

  private bundle(resources: ReadonlyArray<Resource | undefined>): Bundle<A> | undefined {
    return resources.some((r) => r === undefined)
      ? undefined
      : { kind: 'bundle', artifacts: Object.fromEntries(this.names.map((n, i) => [n, resources[i]])) as A };
  }

  describe(): string {
    return this.described;
  }

  async read(ctx: SourceContext): Promise<Observation<Bundle<A>>> {
    const { snapshot, resources, setBy } = await this.files.read(ctx);
    return { resource: this.bundle(resources), snapshot, ...(setBy ? { setBy } : {}) };
  }

  edit(snapshot: Snapshot, target: Bundle<A>): FileEdit[] {
    return this.files.edit(snapshot, this.values(target));
  }

  write(request: WriteRequest<Bundle<A>>, ctx: SourceContext): Promise<WriteResult> {
    return this.files.write(ctx, request as unknown as WriteRequest<Resource>, this.values(request.target));
  }

  propose(request: ProposeRequest<Bundle<A>>, ctx: SourceContext): Promise<ProposeResult> {
    return this.files.propose(ctx, request as unknown as ProposeRequest<Resource>, this.values(request.target));
  }

  findPromotion(promotionId: string, ctx: SourceContext): Promise<Revision | undefined> {
    return this.files.findPromotion(promotionId, ctx);
  }

  async history(ctx: SourceContext, { limit }: { readonly limit: number }): Promise<Array<HistoryEntry<Bundle<A>>>> {
    return (await this.files.history(ctx, limit)).map((h) => ({
      revision: h.revision,
      resource: this.bundle(h.resources),
    }));
  }
}

/**
 * A file in a Git config repository holding one resource, read at the branch tip and
 * written as a commit changing only what the updater changes.
 */
export function gitFile<R extends Resource>(options: GitFileOptions<R>): ReadWriteSource<R> {
  const { repository, branch, path, updater } = options;
  const spec = { name: path, path, updater: updater as unknown as FileUpdater<Resource> };
  return new GitFileSource<R>(new FilesSource(repository, branch, [spec], true));
}

/** Several files of one branch holding a bundle; a promotion is one commit across them. */
export function gitFiles<A extends Record<string, Resource>>(options: GitFilesOptions<A>): ReadWriteSource<Bundle<A>> {
  const names = Object.keys(options.files);
  const specs = names.map((name) => {
    const f = options.files[name as keyof A];
    return { name, path: f.path, updater: f.updater as unknown as FileUpdater<Resource> };
  });
  return new GitFilesSource<A>(new FilesSource(options.repository, options.branch, specs), names);
}

/** A branch's tip commit as a version: an application repository, or an upstream environment branch. */
export function gitBranch(options: GitBranchOptions): ReadOnlySource<GitCommit> {
  const { repository, branch } = options;
  return {
    type: 'git',
    writable: false,
    subject: { kind: 'git', repository, branch },
    describe: () => `git ${repository}@${branch}`,
    async read(ctx) {
      const r = repo(ctx, repository);
      const tip = await r.tip(branch);
      const setBy = await r.commit(tip);
      return { resource: { kind: 'git-commit', commit: tip, repository, ref: branch }, setBy };
    },
  };
}
