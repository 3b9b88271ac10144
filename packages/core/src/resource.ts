import { createHash } from 'node:crypto';
import { z } from 'zod';

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

/**
 * An OCI image (container image), pinned by its manifest digest. A file that holds only
 * a tag (a Helm chart's `image.tag`, a Flux `:tag` marker) is read as an image without
 * digest; a pipeline of such files compares versions by tag (`ociImageByTag`).
 */
export interface OciImage extends Resource {
  readonly kind: 'oci-image';
  /** Repository without tag or digest, e.g. `registry.example.com/team/app`. */
  readonly repository: string;
  /** `sha256:<hex>`; absent only for an image read from a file that holds just a tag. */
  readonly digest?: string;
  /** The tag it was chosen by, if any; informative for `ociImage`, the identity for `ociImageByTag`. */
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

/** One field of a resource value that does not parse; `path` is relative to the resource, e.g. `digest`. */
export interface ResourceIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * A value that is not a resource of the expected kind, or holds text that would not
 * survive being written to a file and read back (a newline, a reference that does not
 * parse). A `TypeError`, so updaters reading a file wrap it as their own failure; the
 * engine turns it into `invalid_target` naming the field.
 */
export class ResourceParseError extends TypeError {
  readonly issues: readonly ResourceIssue[];
  constructor(kind: string, issues: readonly ResourceIssue[]) {
    super(issues.map((i) => `${kind}${i.path ? `.${i.path}` : ''}: ${i.message}`).join('; '));
    this.name = 'ResourceParseError';
    this.issues = issues;
  }
}

/** Text that a YAML or JSON file keeps as it is: no control characters or line breaks, no outer spaces. */
const plainText = (max: number) =>
  z
    .string()
    .min(1, { error: 'expected a non-empty string', abort: true })
    // before any pattern: a megabyte of text never reaches a regular expression
    .max(max, { error: `longer than ${max} characters`, abort: true })
    .refine((s) => !/[\p{Cc}\p{Zl}\p{Zp}]/u.test(s), {
      error: 'contains a control character or line break',
      abort: true,
    })
    .refine((s) => s.trim() === s, { error: 'has leading or trailing spaces', abort: true });

// The grammar of docker/distribution's reference package: an optional host[:port], then
// lowercase path components.
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?`;
const REPOSITORY_RE = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const DIGEST_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha512: 128 };
const TAG_RE = /^\w[\w.-]{0,127}$/;
const SEMVER_RE =
  /^v?(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const CHART_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const COMMIT_RE = /^[0-9a-fA-F]{7,64}$/;
// git check-ref-format, in short: no spaces or ~^:?*[\, no "..", no "@{", no "/" or ".lock" at the end
const REF_RE = /^(?!.*\.\.)(?!.*@\{)(?!.*\/$)(?!.*\.lock$)[^\s~^:?*[\\]+$/;

const isDigestText = (d: string): boolean => {
  if (!DIGEST_RE.test(d)) return false;
  const [algorithm, hex] = d.split(':') as [string, string];
  const length = DIGEST_LENGTH[algorithm];
  return length === undefined || (hex.length === length && /^[a-f0-9]+$/.test(hex));
};

const imageFields = {
  repository: plainText(255).refine((r) => REPOSITORY_RE.test(r), 'is not an image repository (host/path, lowercase)'),
  digest: plainText(200).refine(isDigestText, 'is not a digest (sha256: and 64 hex digits)'),
  tag: plainText(128)
    .refine((t) => TAG_RE.test(t), 'is not an image tag')
    .optional(),
};
const ociImageSchema = z.object(imageFields);
const ociImageByTagSchema = z.object({
  ...imageFields,
  tag: imageFields.tag.unwrap(),
  digest: imageFields.digest.optional(),
});

const helmChartSchema = z.object({
  name: plainText(250).refine((n) => CHART_NAME_RE.test(n), 'is not a chart name'),
  version: plainText(128).refine((v) => SEMVER_RE.test(v), 'is not a semantic version'),
  repository: plainText(1024)
    .refine((r) => !/\s/.test(r), 'contains spaces')
    .optional(),
});

const gitCommitSchema = z.object({
  commit: plainText(64).refine((c) => COMMIT_RE.test(c), 'is not a commit id (hex)'),
  repository: plainText(1024)
    .refine((r) => !/\s/.test(r), 'contains spaces')
    .optional(),
  ref: plainText(255)
    .refine((r) => REF_RE.test(r), 'is not a Git ref name')
    .optional(),
});

/** Checks `kind` first (the one message that matters when it is wrong), then the fields. */
function parseKind<T>(kind: string, schema: z.ZodType<T>, value: unknown): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ResourceParseError(kind, [{ path: '', message: `expected an object of kind "${kind}"` }]);
  }
  const given = (value as { kind?: unknown }).kind;
  if (given !== kind) {
    throw new ResourceParseError(kind, [
      { path: 'kind', message: `expected kind "${kind}", got ${JSON.stringify(given) ?? 'none'}` },
    ]);
  }
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ResourceParseError(
    kind,
    r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}

export const shortDigest = (digest: string): string => {
  const i = digest.indexOf(':');
  return i >= 0 ? digest.slice(i + 1, i + 13) : digest.slice(0, 12);
};

const describeImage = (r: OciImage): string =>
  `${r.repository.split('/').pop() ?? r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${shortDigest(r.digest)}` : ''}`;

const tagIdentity = (tag: string | undefined): string => `tag:${tag ?? ''}`;

export const ociImage: ResourceType<OciImage> = {
  kind: 'oci-image',
  // an image read from a tag-only file has no digest: it can never equal a pinned one
  digest: (r) => r.digest ?? tagIdentity(r.tag),
  describe: describeImage,
  parse(value) {
    const v = parseKind('oci-image', ociImageSchema, value);
    return { kind: 'oci-image', repository: v.repository, digest: v.digest, ...(v.tag ? { tag: v.tag } : {}) };
  },
};

/**
 * OCI images compared by tag: two images with the same tag are the same version, whatever
 * their digests. For pipelines whose environments hold tags (`image.tag: 1.2.3`, Flux
 * `:tag` markers, Kustomize `newTag`): what the file holds is then comparable to what the
 * registry has. A tag moved to another image is not a new version here; pin by digest
 * (`ociImage`) to follow such tags.
 */
export const ociImageByTag: ResourceType<OciImage> = {
  kind: 'oci-image',
  digest: (r) => (r.tag !== undefined ? tagIdentity(r.tag) : (r.digest ?? tagIdentity(undefined))),
  describe: describeImage,
  parse(value) {
    const v = parseKind('oci-image', ociImageByTagSchema, value);
    return { kind: 'oci-image', repository: v.repository, tag: v.tag, ...(v.digest ? { digest: v.digest } : {}) };
  },
};

export const helmChart: ResourceType<HelmChart> = {
  kind: 'helm-chart',
  digest: (r) => sha256(`${r.name}@${r.version}`),
  describe: (r) => `${r.name}@${r.version}`,
  parse(value) {
    const v = parseKind('helm-chart', helmChartSchema, value);
    return {
      kind: 'helm-chart',
      name: v.name,
      version: v.version,
      ...(v.repository ? { repository: v.repository } : {}),
    };
  },
};

export const gitCommit: ResourceType<GitCommit> = {
  kind: 'git-commit',
  digest: (r) => `git:${r.commit}`,
  describe: (r) => r.commit.slice(0, 12),
  parse(value) {
    const v = parseKind('git-commit', gitCommitSchema, value);
    return {
      kind: 'git-commit',
      commit: v.commit,
      ...(v.repository ? { repository: v.repository } : {}),
      ...(v.ref ? { ref: v.ref } : {}),
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
      const v = parseKind('bundle', z.object({ artifacts: z.record(z.string(), z.unknown()) }), value);
      const issues: ResourceIssue[] = [];
      const artifacts = each((n, t) => {
        try {
          return [n, t.parse(v.artifacts[n])];
        } catch (e) {
          const inner = e instanceof ResourceParseError ? e.issues : [{ path: '', message: String(e) }];
          issues.push(
            ...inner.map((i) => ({ path: `artifacts.${n}${i.path ? `.${i.path}` : ''}`, message: i.message })),
          );
          return [n, undefined];
        }
      });
      if (issues.length > 0) throw new ResourceParseError('bundle', issues);
      return { kind: 'bundle', artifacts: Object.fromEntries(artifacts) as A };
    },
  };
}
