import type { Descriptor, Manifest } from './manifest.js';

export interface ReadOptions {
  readonly signal?: AbortSignal;
}

export interface TagListOptions extends ReadOptions {
  /** Page size sent as `?n=`; the registry's default when absent. */
  readonly pageSize?: number;
}

export interface ReferrersOptions extends ReadOptions {
  /** Only referrers of this artifact type (e.g. a signature type). */
  readonly artifactType?: string;
}

/**
 * The read side every registry backend offers, a remote OCI Distribution registry or
 * a directory of OCI image layouts. Errors are `SourceError`s: `manifest_not_found`,
 * `repository_not_found`, `registry_unreachable`, `registry_timeout`, `registry_unauthorized`,
 * `registry_error`.
 */
export interface RegistryReader {
  readonly kind: 'remote' | 'layout';
  /** The configured name of this registry. */
  readonly name: string;
  /** How image references name it: `ghcr.io`, `127.0.0.1:5000`, `localhost/sandbox`. */
  readonly host: string;
  /** The URL or directory, for messages. */
  readonly location: string;
  /** The manifest digest a tag (or digest) points at now. */
  resolve(repository: string, reference: string, options?: ReadOptions): Promise<string>;
  manifest(repository: string, reference: string, options?: ReadOptions): Promise<Manifest>;
  /** A blob's bytes, checked against its digest. */
  blob(repository: string, digest: string, options?: ReadOptions): Promise<Uint8Array>;
  /** Every tag of the repository, across all pages, in the order the registry lists them. */
  tags(repository: string, options?: TagListOptions): Promise<string[]>;
  /** Manifests whose `subject` is `digest` (signatures, attestations, SBOMs). */
  referrers(repository: string, digest: string, options?: ReferrersOptions): Promise<Descriptor[]>;
  /**
   * The repository changed (a push webhook said so): reads from now on see it, rather than
   * share the answer of a request that began before the change.
   */
  changed(repository: string): void;
}
