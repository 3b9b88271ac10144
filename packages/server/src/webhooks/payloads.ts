import { z } from 'zod';

/** What a webhook says changed, whatever shape it came in. */
export type Change =
  | {
      readonly kind: 'oci';
      readonly repository: string;
      readonly tag?: string;
      readonly digest?: string;
      /** The Distribution envelope's event id: what a replay repeats. */
      readonly event?: string;
    }
  | { readonly kind: 'git'; readonly repository: string; readonly branch: string; readonly paths: readonly string[] };

/** The notification envelope docker-registry (CNCF Distribution) POSTs. */
const distributionEnvelope = z.object({
  events: z.array(
    z.looseObject({
      id: z.string().optional(),
      action: z.string(),
      target: z.looseObject({
        repository: z.string(),
        tag: z.string().optional(),
        digest: z.string().optional(),
        mediaType: z.string().optional(),
      }),
    }),
  ),
});

/** A generic registry push, for CI or registries with their own webhook formats. */
const genericPush = z.object({
  repository: z.string().min(1),
  tag: z.string().optional(),
  digest: z.string().optional(),
});

export function registryChanges(body: unknown): Change[] | undefined {
  const env = distributionEnvelope.safeParse(body);
  if (env.success) {
    return env.data.events
      .filter((e) => e.action === 'push')
      .map((e) => ({
        kind: 'oci' as const,
        repository: e.target.repository,
        ...(e.target.tag ? { tag: e.target.tag } : {}),
        ...(e.target.digest ? { digest: e.target.digest } : {}),
        ...(e.id ? { event: e.id } : {}),
      }));
  }
  const generic = genericPush.safeParse(body);
  return generic.success ? [{ kind: 'oci', ...generic.data }] : undefined;
}

const commitFiles = z.object({
  added: z.array(z.string()).optional(),
  modified: z.array(z.string()).optional(),
  removed: z.array(z.string()).optional(),
});

/** GitHub `push` and GitLab `Push Hook` events share `ref` and `commits[]`; they name the repository differently. */
const gitPush = z.object({
  ref: z.string(),
  commits: z.array(commitFiles).optional(),
  repository: z
    .looseObject({
      full_name: z.string().optional(),
      name: z.string().optional(),
      clone_url: z.string().optional(),
      ssh_url: z.string().optional(),
      git_http_url: z.string().optional(),
      git_ssh_url: z.string().optional(),
    })
    .optional(),
  project: z.looseObject({ path_with_namespace: z.string().optional() }).optional(),
});

export interface GitPush {
  readonly branch: string;
  /** Every URL and name the payload gives for the repository, for matching against configured remotes. */
  readonly identities: readonly string[];
  readonly paths: readonly string[];
}

export function gitPushOf(body: unknown): GitPush | undefined {
  const p = gitPush.safeParse(body);
  if (!p.success || !p.data.ref.startsWith('refs/heads/')) return undefined;
  const r = p.data.repository ?? {};
  const identities = [
    r.full_name,
    r.clone_url,
    r.ssh_url,
    r.git_http_url,
    r.git_ssh_url,
    p.data.project?.path_with_namespace,
  ].filter((x): x is string => typeof x === 'string' && x.length > 0);
  const paths = (p.data.commits ?? []).flatMap((c) => [
    ...(c.added ?? []),
    ...(c.modified ?? []),
    ...(c.removed ?? []),
  ]);
  return { branch: p.data.ref.slice('refs/heads/'.length), identities, paths };
}
