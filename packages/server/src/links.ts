/**
 * Web pages of the things a version's chain names: commits, proposals, CI runs, images. Each
 * is a URL template per repository (`repositories.<name>.links`) or registry
 * (`registries.<name>.links`), with defaults derived from GitHub and GitLab remote URLs.
 * Pure: no I/O, so the dashboard's anchors, the CLI and the tests agree.
 */

/** Templates of a Git repository's pages: `{sha}` in `commit`, `{number}` in `proposal`. */
export interface RepositoryLinkTemplates {
  readonly commit?: string;
  readonly proposal?: string;
}

/** Templates of a registry's pages: `{repository}`, `{digest}` and `{tag}` in `image`. */
export interface RegistryLinkTemplates {
  readonly image?: string;
}

/** What link templates are made of: the configured repositories and registries. */
export interface LinkConfig {
  readonly repositories?: Readonly<
    Record<string, { readonly url: string; readonly links?: RepositoryLinkTemplates | undefined }>
  >;
  readonly registries?: Readonly<
    Record<
      string,
      { readonly url?: string; readonly host?: string; readonly links?: RegistryLinkTemplates | undefined }
    >
  >;
}

/** The web pages of one chain or lineage entry; each only when it can be built. */
export interface Links {
  readonly sourceCommit?: string;
  readonly ciRun?: string;
  readonly image?: string;
  readonly configCommit?: string;
  readonly proposal?: string;
}

/** A repository on a forge whose page layout is known. */
export interface Forge {
  readonly kind: 'github' | 'gitlab';
  /** `https://host/owner/name` (no `.git`). */
  readonly web: string;
  /** `owner/name` (GitLab: `group/subgroup/name`). */
  readonly path: string;
}

const SCP = /^(?:[\w.-]+@)?([\w.-]+):(?!\/\/)(.+)$/;

/** Host and path of a Git remote URL in any of its forms (https, ssh://, scp-like `git@host:path`). */
export function remoteParts(url: string): { host: string; path: string } | undefined {
  const t = url.trim();
  let host: string;
  let path: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
    let u: URL;
    try {
      u = new URL(t);
    } catch {
      return undefined;
    }
    if (!['http:', 'https:', 'ssh:', 'git:', 'git+ssh:'].includes(u.protocol)) return undefined;
    host = u.hostname;
    path = decodeURIComponent(u.pathname);
  } else {
    const m = SCP.exec(t);
    if (!m) return undefined;
    host = m[1] as string;
    path = m[2] as string;
  }
  path = path.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
  if (host === '' || path === '' || !path.includes('/')) return undefined;
  return { host: host.toLowerCase(), path };
}

/**
 * The forge of a remote: github.com and hosts named `github.*` are GitHub, gitlab.com and
 * hosts named `gitlab.*` GitLab (self-hosted ones usually are); anything else is unknown.
 */
export function forgeOf(url: string): Forge | undefined {
  const p = remoteParts(url);
  if (!p) return undefined;
  const first = p.host.split('.')[0];
  const kind =
    p.host === 'github.com' || first === 'github'
      ? 'github'
      : p.host === 'gitlab.com' || first === 'gitlab'
        ? 'gitlab'
        : undefined;
  if (!kind) return undefined;
  // GitHub has exactly owner/name; GitLab nests groups
  const path = kind === 'github' ? p.path.split('/').slice(0, 2).join('/') : p.path;
  return { kind, web: `https://${p.host}/${path}`, path };
}

/** The templates a forge's pages follow. */
export function forgeTemplates(f: Forge): Required<RepositoryLinkTemplates> {
  return f.kind === 'github'
    ? { commit: `${f.web}/commit/{sha}`, proposal: `${f.web}/pull/{number}` }
    : { commit: `${f.web}/-/commit/{sha}`, proposal: `${f.web}/-/merge_requests/{number}` };
}

/** Configured templates over the ones derived from the URL. */
export function repositoryTemplates(url: string, configured?: RepositoryLinkTemplates): RepositoryLinkTemplates {
  const forge = forgeOf(url);
  return { ...(forge ? forgeTemplates(forge) : {}), ...stripUndefined(configured ?? {}) };
}

/** Pages of the public registries whose layout is known, by registry host. */
export function registryTemplates(host: string, configured?: RegistryLinkTemplates): RegistryLinkTemplates {
  const h = host.toLowerCase();
  const derived =
    h === 'docker.io' || h === 'registry-1.docker.io' || h === 'index.docker.io'
      ? { image: 'https://hub.docker.com/r/{repository}/tags' }
      : h === 'quay.io'
        ? { image: 'https://quay.io/repository/{repository}?tab=tags' }
        : h === 'registry.gitlab.com'
          ? { image: 'https://gitlab.com/{repository}/container_registry' }
          : {};
  return { ...derived, ...stripUndefined(configured ?? {}) };
}

/** Fills `{name}` placeholders; undefined when the template needs a value not given. */
export function fill(template: string | undefined, values: Readonly<Record<string, string | undefined>>) {
  if (template === undefined) return undefined;
  let missing = false;
  const out = template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = values[k];
    if (v === undefined) {
      missing = true;
      return '';
    }
    // slashes of a repository path and the colon of a digest stay as they are
    const enc = (x: string) => encodeURIComponent(x).replaceAll('%3A', ':');
    return k === 'repository' ? v.split('/').map(enc).join('/') : enc(v);
  });
  return missing ? undefined : out;
}

const stripUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** How a source repository was named: a URL, or a bare `owner/name` (GitHub Actions, GitLab CI). */
export interface SourceRepository {
  readonly repository?: string;
  /** The CI run's URL: a bare `owner/name` is taken to live on the same host. */
  readonly ciRun?: string;
}

/** Answers links for everything a chain names, from the configuration. */
export interface Linker {
  /** A commit of a configured (config) repository. */
  configCommit(repository: string, sha: string): string | undefined;
  /** A proposal (pull/merge request) of a configured repository. */
  proposal(repository: string, number: number | string): string | undefined;
  /** A commit of an application's source repository, named as CI or the image labels name it. */
  sourceCommit(source: SourceRepository, sha: string): string | undefined;
  /** An image by repository (`host/path` as references name it) and digest or tag. */
  image(reference: string, o: { digest?: string; tag?: string }): string | undefined;
}

const DOCKER_HUB = 'docker.io';

/** Splits an image reference's repository into its registry host and path, as Docker does. */
export function imageParts(reference: string): { host: string; path: string } {
  const slash = reference.indexOf('/');
  const first = slash < 0 ? '' : reference.slice(0, slash);
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost'))
    return { host: first, path: reference.slice(slash + 1) };
  return { host: DOCKER_HUB, path: slash < 0 ? `library/${reference}` : reference };
}

const hostOf = (url: string | undefined): string | undefined => {
  if (!url) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
};

/** The linker of a configuration: configured templates first, GitHub/GitLab defaults else. */
export function createLinker(config: LinkConfig): Linker {
  const repos = new Map(
    Object.entries(config.repositories ?? {}).map(([name, r]) => [name, repositoryTemplates(r.url, r.links)]),
  );
  // a source repository that is also configured uses its configured templates
  const byWeb = new Map<string, RepositoryLinkTemplates>();
  for (const [name, r] of Object.entries(config.repositories ?? {})) {
    const p = remoteParts(r.url);
    if (p) byWeb.set(`${p.host}/${p.path}`.toLowerCase(), repos.get(name) ?? {});
  }
  const registries = new Map<string, RegistryLinkTemplates>();
  for (const r of Object.values(config.registries ?? {})) {
    const host = r.host ?? hostOf(r.url);
    if (host) registries.set(host.toLowerCase(), registryTemplates(host, r.links));
  }
  const sourceTemplates = (s: SourceRepository): RepositoryLinkTemplates | undefined => {
    const name = s.repository?.trim();
    if (!name) return undefined;
    let url = name;
    if (remoteParts(name) === undefined && /^[\w.-]+(\/[\w.-]+)+$/.test(name)) {
      // `owner/name`: on the CI run's host when it has one (GitLab CI), else GitHub
      const ci = hostOf(s.ciRun);
      url = `https://${ci ?? 'github.com'}/${name}`;
    }
    const p = remoteParts(url);
    const configured = p ? byWeb.get(`${p.host}/${p.path}`.toLowerCase()) : undefined;
    return configured ?? repositoryTemplates(url);
  };
  return {
    configCommit: (repository, sha) => fill(repos.get(repository)?.commit, { sha }),
    proposal: (repository, number) => fill(repos.get(repository)?.proposal, { number: String(number) }),
    sourceCommit: (source, sha) => fill(sourceTemplates(source)?.commit, { sha }),
    image(reference, o) {
      const { host, path } = imageParts(reference);
      const templates = registries.get(host.toLowerCase()) ?? registryTemplates(host);
      return fill(templates.image, { repository: path, digest: o.digest, tag: o.tag });
    },
  };
}
