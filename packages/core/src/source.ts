import type { ProposalRecord, ProposalRequest } from './proposal.js';
import type { Resource } from './resource.js';
import type { Logger, Services } from './services.js';

/** What a source needs from the running system. */
export interface SourceContext {
  readonly services: Services;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

/** A point in a source's history: a Git commit, an image manifest. */
export interface Revision {
  /** Commit SHA, manifest digest... */
  readonly id: string;
  readonly time?: Date;
  readonly author?: string;
  readonly message?: string;
  readonly url?: string;
  readonly trailers?: Readonly<Record<string, string>>;
}

/** The files a writable source read, at one revision: the base a plan is computed on. */
export interface Snapshot {
  /** Revision the files were read at (a commit SHA). */
  readonly revision: string;
  /** Path -> content; `undefined` when the file does not exist at that revision. */
  readonly files: Readonly<Record<string, string | undefined>>;
}

/** What a source holds now. */
export interface Observation<R extends Resource> {
  /** `undefined` when the source holds nothing yet (e.g. a tag not pushed). */
  readonly resource: R | undefined;
  /** The revision that last changed it (commit that set the digest, image creation). */
  readonly setBy?: Revision;
  /** For writable sources: the files read, used to plan a write. */
  readonly snapshot?: Snapshot;
}

/** One file a promotion would change. */
export interface FileEdit {
  readonly path: string;
  readonly before: string | undefined;
  readonly after: string;
}

export interface Identity {
  readonly name: string;
  readonly email: string;
}

/** Everything a writable source needs to write a promotion. */
export interface WriteRequest<R extends Resource> {
  readonly target: R;
  readonly promotionId: string;
  readonly message: string;
  /** Added to the commit message as `Key: value` trailers. */
  readonly trailers: Readonly<Record<string, string>>;
  readonly author?: Identity;
  /** The snapshot the plan was made on; the writer re-applies on a newer tip if needed. */
  readonly base?: Snapshot;
}

export type WriteResult =
  | { readonly kind: 'written'; readonly revision: Revision; readonly attempts: number }
  /** The target already held the resource when the write reached it (someone else wrote it). */
  | { readonly kind: 'unchanged'; readonly revision?: Revision };

/** A write as a proposal: the same commit, on a branch of its own, and a pull request into the phase's branch. */
export interface ProposeRequest<R extends Resource> extends WriteRequest<R> {
  readonly proposal: ProposalRequest;
}

export type ProposeResult =
  /** The proposal branch holds the commit (on top of the phase's branch tip) and its pull request is open. */
  | {
      readonly kind: 'proposed';
      readonly revision: Revision;
      readonly proposal: ProposalRecord;
      /** The phase's branch tip the proposal's commit sits on. */
      readonly base?: string;
      /** Whether the proposal branch was pushed (false: it already held exactly this on this base). */
      readonly pushed?: boolean;
    }
  /** The phase's branch already holds the resource: nothing to propose. */
  | { readonly kind: 'unchanged'; readonly revision?: Revision };

/**
 * What a source watches, so that a registry or Git push webhook finds the phases it
 * concerns. Names are the configured ones (`registries:`/`repositories:` keys).
 */
export type SourceSubject =
  | { readonly kind: 'oci'; readonly registry: string; readonly repository: string }
  | { readonly kind: 'git'; readonly repository: string; readonly branch?: string; readonly paths?: readonly string[] };

interface SourceBase<R extends Resource> {
  /** Source type, e.g. `oci`, `git`, `custom`. */
  readonly type: string;
  /** What it watches; absent for sources no webhook can name (custom functions). */
  readonly subject?: SourceSubject;
  /** One line for humans: `oci sandbox/app:latest`, `git config@main:env/staging/deployment.yaml`. */
  describe(): string;
  read(ctx: SourceContext): Promise<Observation<R>>;
  /** Phantom: keeps R invariant, so a source of one resource type never fits another. */
  readonly _resource?: (r: R) => R;
}

/** A source Gantry can only read: a registry tag, an upstream Git branch. */
export interface ReadOnlySource<R extends Resource> extends SourceBase<R> {
  readonly writable: false;
}

/** A source Gantry can also write: a file in a Git config repository. */
export interface ReadWriteSource<R extends Resource> extends SourceBase<R> {
  readonly writable: true;
  /** Pure: the file changes that would set `target` on top of `snapshot`. */
  edit(snapshot: Snapshot, target: R): FileEdit[];
  write(request: WriteRequest<R>, ctx: SourceContext): Promise<WriteResult>;
  /**
   * The revision a promotion wrote, found by its id (the `Gantry-Promotion-Id` trailer):
   * how a restarted server learns whether an interrupted promotion reached the remote.
   */
  findPromotion?(promotionId: string, ctx: SourceContext): Promise<Revision | undefined>;
  /**
   * Writes the promotion as a proposal (a phase with `write: proposal`): the commit goes to
   * `request.proposal.head`, force-updated on top of the phase's branch tip, and a pull request
   * is opened or updated. Sources without it cannot take proposals.
   */
  propose?(request: ProposeRequest<R>, ctx: SourceContext): Promise<ProposeResult>;
}

export type Source<R extends Resource> = ReadOnlySource<R> | ReadWriteSource<R>;

/** A pure file transformation between text and a resource: the heart of an updater. */
export interface FileUpdater<R extends Resource> {
  /** e.g. `kubernetes image (container app)` */
  describe(): string;
  /**
   * Reads the resource from the file's text. `file` is for error messages. Returns
   * `undefined` when the place is there but holds no pinned version yet (an image with a
   * tag and no digest, say); throws `UpdaterError` when the place itself is missing.
   */
  read(content: string, file: string): R | undefined;
  /** Returns the new text with `resource` written in, keeping the rest as it was. */
  write(content: string, resource: R, file: string): string;
  /** Phantom, keeps R invariant. */
  readonly _resource?: (r: R) => R;
}
