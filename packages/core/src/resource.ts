import { createHash } from 'node:crypto';

/**
 * What flows through a pipeline. Every resource has a `kind` literal so that two
 * resource types never unify: a source of Helm charts cannot stand where a source of
 * OCI images is expected.
 */
export interface Resource {
  readonly kind: string;
}

/** Describes one kind of resource: its identity (a stable digest) and how to show it. */
export interface ResourceType<R extends Resource> {
  readonly kind: R['kind'];
  /** Stable identity: two resources with equal digests are the same version. */
  digest(resource: R): string;
  /** Short human form, e.g. `app:1.2.0@sha256:1a2b3c4d`. */
  describe(resource: R): string;
  /** Checks an unknown value (from JSON, an API call) and returns it typed, or throws. */
  parse(value: unknown): R;
}

/** An OCI image (container image) pinned by its manifest digest. */
export interface OciImage extends Resource {
  readonly kind: 'oci-image';
  /** Repository without tag or digest, e.g. `registry.example.com/team/app`. */
  readonly repository: string;
  /** `sha256:<hex>` */
  readonly digest: string;
  /** The tag it was chosen by, if any; informative, not part of the identity. */
  readonly tag?: string;
}

/** A Helm chart version. */
export interface HelmChart extends Resource {
  readonly kind: 'helm-chart';
  readonly name: string;
  readonly version: string;
  /** Chart repository URL or OCI repository, informative. */
  readonly repository?: string;
}

/** A Git commit, e.g. a config or application revision. */
export interface GitCommit extends Resource {
  readonly kind: 'git-commit';
  readonly commit: string;
  readonly repository?: string;
  readonly ref?: string;
}

/** Several artifacts promoted together as one unit (Kargo calls this freight). */
export interface Bundle<A extends Record<string, Resource>> extends Resource {
  readonly kind: 'bundle';
  readonly artifacts: A;
}

export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** JSON with sorted keys, so equal values always hash equal. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

function expectObject(value: unknown, kind: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw new TypeError(`${kind}: expected an object`);
  const v = value as Record<string, unknown>;
  if (v.kind !== kind) throw new TypeError(`expected kind "${kind}", got ${JSON.stringify(v.kind)}`);
  return v;
}

function expectString(v: Record<string, unknown>, key: string, kind: string, optional = false): string | undefined {
  const x = v[key];
  if (x === undefined && optional) return undefined;
  if (typeof x !== 'string' || x.length === 0) throw new TypeError(`${kind}.${key}: expected a non-empty string`);
  return x;
}

export const shortDigest = (digest: string): string => {
  const i = digest.indexOf(':');
  return i >= 0 ? digest.slice(i + 1, i + 13) : digest.slice(0, 12);
};

export const ociImage: ResourceType<OciImage> = {
  kind: 'oci-image',
  digest: (r) => r.digest,
  describe: (r) =>
    `${r.repository.split('/').pop() ?? r.repository}${r.tag ? `:${r.tag}` : ''}@${shortDigest(r.digest)}`,
  parse(value) {
    const v = expectObject(value, 'oci-image');
    const digest = expectString(v, 'digest', 'oci-image') as string;
    if (!DIGEST_RE.test(digest)) throw new TypeError(`oci-image.digest: "${digest}" is not a digest`);
    const tag = expectString(v, 'tag', 'oci-image', true);
    return {
      kind: 'oci-image',
      repository: expectString(v, 'repository', 'oci-image') as string,
      digest,
      ...(tag ? { tag } : {}),
    };
  },
};

export const helmChart: ResourceType<HelmChart> = {
  kind: 'helm-chart',
  digest: (r) => sha256(`${r.name}@${r.version}`),
  describe: (r) => `${r.name}@${r.version}`,
  parse(value) {
    const v = expectObject(value, 'helm-chart');
    const repository = expectString(v, 'repository', 'helm-chart', true);
    return {
      kind: 'helm-chart',
      name: expectString(v, 'name', 'helm-chart') as string,
      version: expectString(v, 'version', 'helm-chart') as string,
      ...(repository ? { repository } : {}),
    };
  },
};

export const gitCommit: ResourceType<GitCommit> = {
  kind: 'git-commit',
  digest: (r) => `git:${r.commit}`,
  describe: (r) => r.commit.slice(0, 12),
  parse(value) {
    const v = expectObject(value, 'git-commit');
    const repository = expectString(v, 'repository', 'git-commit', true);
    const ref = expectString(v, 'ref', 'git-commit', true);
    return {
      kind: 'git-commit',
      commit: expectString(v, 'commit', 'git-commit') as string,
      ...(repository ? { repository } : {}),
      ...(ref ? { ref } : {}),
    };
  },
};

/** Resource types of each artifact of a bundle. */
export type ArtifactTypes<A extends Record<string, Resource>> = { readonly [K in keyof A]: ResourceType<A[K]> };

/**
 * A bundle of artifacts promoted as one unit. Its digest covers every artifact's
 * digest, so a change to any one of them is a new version of the whole.
 */
export function bundle<A extends Record<string, Resource>>(types: ArtifactTypes<A>): ResourceType<Bundle<A>> {
  const names = Object.keys(types).sort();
  const each = <T>(fn: (name: string, type: ResourceType<Resource>) => T): T[] =>
    names.map((n) => fn(n, types[n as keyof A] as ResourceType<Resource>));
  return {
    kind: 'bundle',
    digest: (r) =>
      sha256(canonicalJson(Object.fromEntries(each((n, t) => [n, t.digest(r.artifacts[n as keyof A] as Resource)])))),
    describe: (r) => each((n, t) => `${n}=${t.describe(r.artifacts[n as keyof A] as Resource)}`).join(' '),
    parse(value) {
      const v = expectObject(value, 'bundle');
      const artifacts = v.artifacts as Record<string, unknown> | undefined;
      if (typeof artifacts !== 'object' || artifacts === null)
        throw new TypeError('bundle.artifacts: expected an object');
      return { kind: 'bundle', artifacts: Object.fromEntries(each((n, t) => [n, t.parse(artifacts[n])])) as A };
    },
  };
}
