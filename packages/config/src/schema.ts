import { checksSchema, durationSchema } from '@gantry/checks';
import { deployerRefSchema } from '@gantry/deployments';
import { phaseGatesSchema } from './gate-keys.js';
import { notificationsSchema } from '@gantry/notify';
import { z } from 'zod';
import { updaterSchema } from './updater-schema.js';

/**
 * The one schema of `gantry.yaml`. Types are derived from it, the JSON schema published
 * in `schema/gantry.schema.json` is generated from it, and every error it reports is
 * mapped back to a file, line and field.
 */

const name = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/, 'lowercase letters, digits, ".", "_" and "-", at most 63');

const duration = z
  .string()
  .regex(/^(\d+(\.\d+)?(ms|s|m|h|d))+$/, 'a duration such as 500ms, 30s, 5m or 1h30m')
  .describe('A duration: 500ms, 30s, 5m, 1h30m, 2d.');

const labels = z.record(z.string(), z.string()).describe('Free-form labels, used by selectors and shown in status.');

const identity = z.strictObject({ name: z.string().min(1), email: z.string().min(3) });

const gitCredentials = z.union([
  z.strictObject({ username: z.string().min(1), password: z.string().min(1) }),
  z.strictObject({ token: z.string().min(1) }),
  z.strictObject({ sshKey: z.string().min(1), knownHosts: z.string().optional() }),
]);

/** Where a repository lives on a Git host that takes pull requests (docs/proposals.md). */
const providerSchema = z
  .strictObject({
    kind: z
      .enum(['github', 'gitlab'])
      .describe('github: GitHub or GitHub Enterprise Server; gitlab: gitlab.com or a self-managed GitLab.'),
    repository: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/, 'owner/name (GitLab: group/subgroup/name)')
      .describe('owner/name on GitHub; the project path (group/subgroup/name) on GitLab.'),
    tokenType: z
      .enum(['private', 'oauth'])
      .optional()
      .describe('GitLab only: private (default, sent as PRIVATE-TOKEN) or oauth (sent as Authorization: Bearer).'),
    token: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A personal access token (pull requests and contents: write). Use ${ENV_VAR}; it is never logged. GitHub: this or app.',
      ),
    app: z
      .strictObject({
        id: z.union([z.string().min(1), z.number().int().positive()]).describe('The GitHub App id.'),
        installationId: z
          .union([z.string().min(1), z.number().int().positive()])
          .describe("The installation's id on the account that owns the repository."),
        privateKey: z
          .string()
          .min(1)
          .optional()
          .describe("The App's private key, PEM (use ${ENV_VAR}); or privateKeyFile."),
        privateKeyFile: z
          .string()
          .min(1)
          .optional()
          .describe('A file holding the PEM private key, relative to gantry.yaml.'),
      })
      .refine((a) => (a.privateKey === undefined) !== (a.privateKeyFile === undefined), {
        message: 'one of privateKey or privateKeyFile',
      })
      .optional()
      .describe(
        'GitHub only: authenticate as a GitHub App installation (installation tokens minted and refreshed) instead of a token.',
      ),
    apiUrl: z
      .url()
      .optional()
      .describe(
        'The REST API: https://api.github.com (default) or https://<host>/api/v3 (GitHub Enterprise Server); https://gitlab.com/api/v4 (default) or https://<host>/api/v4 (GitLab).',
      ),
    pollInterval: duration
      .optional()
      .describe('How often open pull requests are read when no webhook tells (1m); 0s: never (webhooks only).'),
  })
  .refine(
    (p) =>
      p.kind === 'gitlab'
        ? p.token !== undefined && p.app === undefined
        : (p.token === undefined) !== (p.app === undefined),
    {
      message: 'github: one of token or app; gitlab: token',
    },
  )
  .describe('The Git host of this repository, for phases with write: proposal.');

export const repositorySchema = z
  .strictObject({
    url: z.string().min(1).describe('Remote URL (https://, ssh://, git@host:path) or a path relative to gantry.yaml.'),
    branch: z.string().min(1).optional().describe('Default branch written to (main).'),
    staleAfter: duration.optional().describe('How old a fetch may be before a read fetches again (2s).'),
    credentials: gitCredentials
      .optional()
      .describe('HTTPS basic/token or an SSH key. Use ${ENV_VAR} for secrets; they are never logged.'),
    webhookSecret: z.string().min(1).optional().describe('Secret of push webhooks for this repository.'),
    links: z
      .strictObject({
        commit: z.string().min(1).optional().describe('A commit page, with {sha}.'),
        proposal: z.string().min(1).optional().describe('A pull or merge request page, with {number}.'),
      })
      .optional()
      .describe('Web pages the dashboard links to; derived for GitHub and GitLab remotes when absent.'),
    provider: providerSchema.optional(),
  })
  .describe('A Git repository Gantry reads and writes.');

/** The web page of an image in a registry (docs/configuration.md, links). */
const registryLinks = z
  .strictObject({
    image: z.string().min(1).optional().describe('An image page, with {repository}, {digest} and {tag}.'),
  })
  .describe('Web pages the dashboard links to; known for Docker Hub, Quay and GitLab when absent.');

const registryAuth = z.union([
  z.strictObject({ username: z.string().min(1), password: z.string().min(1) }),
  z.strictObject({ token: z.string().min(1) }),
  z.strictObject({ dockerConfig: z.string().optional() }),
]);

const labelKey = z.string().trim().min(1).max(255);

/** Which labels or annotations of this registry's images name their source, before the defaults (docs/gates.md). */
const sourceLabels = z
  .strictObject({
    revision: labelKey.optional().describe('The commit sha (default org.opencontainers.image.revision).'),
    branch: labelKey
      .optional()
      .describe('The branch it was built from (default dev.gantry.branch, then io.openshift.build.commit.ref).'),
    message: labelKey.optional().describe('The commit message (default dev.gantry.commit.message).'),
    author: labelKey.optional().describe('The commit author, "Name <email>" (default dev.gantry.commit.author).'),
    committer: labelKey.optional().describe('The committer, "Name <email>" (default dev.gantry.commit.committer).'),
  })
  .describe(
    "Label or annotation keys naming where this registry's images were built from, read before the defaults by commit and branch gates.",
  );

export const registrySchema = z.union([
  z.strictObject({
    url: z.string().url().describe('Base URL of an OCI Distribution registry, e.g. https://ghcr.io.'),
    host: z.string().optional().describe('How image references name this registry (default: the URL host).'),
    auth: registryAuth.optional(),
    timeout: duration.optional(),
    limits: z
      .strictObject({
        requestsPerSecond: z.number().positive().optional().describe('Requests per second on average (10).'),
        concurrency: z.number().int().positive().optional().describe('Requests in flight at once (4).'),
      })
      .optional()
      .describe(
        "The request budget of the registry's host, shared by registries on one host. A 429 or 503 pauses the host until its Retry-After.",
      ),
    cacheTtl: duration
      .optional()
      .describe(
        "How long reconciles use a tag list or a tag's digest without asking again (60s). A push webhook makes the next read ask at once; a promotion always asks.",
      ),
    webhookSecret: z.string().min(1).optional().describe('Secret of push webhooks from this registry.'),
    sourceLabels: sourceLabels.optional(),
    links: registryLinks.optional(),
  }),
  z.strictObject({
    layout: z.string().min(1).describe('A directory of OCI image layouts, one per repository (the sandbox).'),
    host: z.string().optional(),
    webhookSecret: z.string().min(1).optional(),
    sourceLabels: sourceLabels.optional(),
    links: registryLinks.optional(),
  }),
  z
    .strictObject({
      helm: z
        .url({ protocol: /^https?$/ })
        .refine((u) => !/\/\/[^/]*@/.test(u), 'put credentials in "auth", not the URL')
        .describe('A classic Helm chart repository: the URL holding index.yaml, as given to `helm repo add`.'),
      auth: z
        .strictObject({ username: z.string().min(1), password: z.string().min(1) })
        .optional()
        .describe('Basic auth. Use ${ENV_VAR} for the password; it is never logged.'),
      timeout: duration.optional().describe('Per request (30s).'),
      staleAfter: duration
        .optional()
        .describe('How old the last look at index.yaml may be before a read asks again, with its ETag (2s).'),
      webhookSecret: z.string().min(1).optional(),
    })
    .describe('A Helm chart repository (index.yaml over HTTP), read by `type: helm` sources.'),
]);

const chartSelect = z
  .discriminatedUnion('by', [
    z.strictObject({ by: z.literal('version'), version: z.string().min(1) }),
    z.strictObject({ by: z.literal('semver'), range: z.string().min(1), includePrerelease: z.boolean().optional() }),
    z.strictObject({ by: z.literal('newest'), includePrerelease: z.boolean().optional() }),
  ])
  .describe(
    'Which chart version: exactly one, the highest in a semver range, or the newest created (default: the highest stable).',
  );

const select = z.discriminatedUnion('by', [
  z.strictObject({ by: z.literal('tag'), tag: z.string().min(1) }),
  z.strictObject({ by: z.literal('semver'), range: z.string().min(1), includePrerelease: z.boolean().optional() }),
  z.strictObject({ by: z.literal('lexical'), pattern: z.string().optional() }),
  z.strictObject({ by: z.literal('newest'), pattern: z.string().optional() }),
]);

export const sourceSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('oci'),
    registry: z.string().min(1),
    repository: z.string().min(1),
    select,
  }),
  z.strictObject({
    type: z.literal('git'),
    repository: z.string().min(1),
    branch: z.string().min(1).optional(),
    path: z.string().min(1),
    updater: updaterSchema,
  }),
  z.strictObject({ type: z.literal('git-branch'), repository: z.string().min(1), branch: z.string().min(1) }),
  z.strictObject({
    type: z.literal('helm'),
    registry: z.string().min(1).describe('A `registries:` entry with `helm:`.'),
    chart: z.string().min(1),
    select: chartSelect.optional(),
  }),
]);

export const phaseSchema = z.strictObject({
  name,
  labels: labels.optional(),
  promotesFrom: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  message: z.string().optional().describe('Commit message template: {{pipeline}} {{phase}} {{version}} {{from}}.'),
  queue: z.enum(['supersede', 'queue']).optional(),
  autoPromote: z.boolean().optional().describe('Promote automatically when the upstream moves.'),
  source: sourceSchema,
  deployer: deployerRefSchema
    .optional()
    .describe('Who applies this phase: a Flux Kustomization or HelmRelease, or an Argo CD Application.'),
  verify: z
    .strictObject({
      healthyFor: durationSchema
        .optional()
        .describe('With a deployer: it must report healthy and stay healthy this long before checks run.'),
      checks: checksSchema.optional().describe('HTTP, Prometheus and command checks run once the version is applied.'),
    })
    .optional()
    .describe('What proves a version here; downstream auto-promotion waits until it is verified.'),
  gates: phaseGatesSchema
    .optional()
    .describe('Rules before a promotion here: approval, soak, window, commit, branch, signature (docs/gates.md).'),
  write: z
    .enum(['commit', 'proposal'])
    .optional()
    .describe(
      "commit: push to the branch (default); proposal: open a pull request into it (the repository's provider).",
    ),
  proposal: z
    .strictObject({
      branch: z.string().min(1).optional().describe('The proposal branch (gantry/{{pipeline}}/{{phase}}).'),
      title: z
        .string()
        .min(1)
        .optional()
        .describe('Title template: {{pipeline}} {{phase}} {{version}} {{previous}} {{from}}.'),
      body: z
        .string()
        .min(1)
        .optional()
        .describe(
          'Body template (Markdown); also {{diff}} {{reason}} {{url}} {{link}} {{files}} {{commits}} {{sourceFrom}} {{sourceTo}} {{compareUrl}}.',
        ),
      labels: z.array(z.string().min(1)).optional().describe('Labels put on the pull request.'),
      reviewers: z.array(z.string().min(1)).optional().describe('Users asked to review.'),
      teamReviewers: z.array(z.string().min(1)).optional().describe('Teams (slugs) asked to review.'),
      assignees: z
        .array(z.string().min(1))
        .optional()
        .describe('Users the pull request is assigned to (GitHub logins; GitLab usernames).'),
      autoMerge: z
        .strictObject({ method: z.enum(['merge', 'squash', 'rebase']).default('merge') })
        .optional()
        .describe(
          "Merge by itself once the host's required checks pass (GitHub auto-merge, GitLab merge when pipeline succeeds).",
        ),
      foreignCommits: z
        .enum(['refuse', 'replace'])
        .optional()
        .describe(
          'Commits on the proposal branch Gantry did not write: refuse (default: say so, change nothing) or replace them.',
        ),
    })
    .optional()
    .describe('The pull requests of a phase with write: proposal (docs/proposals.md).'),
});

export const pipelineSchema = z.strictObject({
  name,
  labels: labels.optional(),
  resource: z.enum(['oci-image', 'helm-chart', 'git-commit']),
  phases: z.array(phaseSchema).min(1),
});

const role = z.enum(['viewer', 'promoter', 'admin']);

/** Who may promote where: the first rule matching pipeline and phase names the least role needed. */
const permissionSchema = z.strictObject({
  pipeline: z.string().default('*').describe('Pipeline name or *.'),
  phase: z.string().default('*').describe('Phase name or *.'),
  role: role.describe('The least role that may promote into matching phases.'),
});

/** A label selector (`environment=staging,team=web`), or `pipeline/phase` names with * wildcards. */
const scheduleSchema = z.union([
  z.strictObject({ select: z.string().min(1), every: duration }),
  z.strictObject({ select: z.string().min(1), cron: z.string().min(1) }),
]);

export const serverSchema = z.strictObject({
  host: z.string().optional().describe('Address to listen on (127.0.0.1 when no tokens exist).'),
  port: z.number().int().min(0).max(65535).optional().describe('Port (8080).'),
  databaseUrl: z.string().optional().describe('postgres://... for replicas; default SQLite in dataDir.'),
  permissions: z.array(permissionSchema).optional(),
  webhookSecret: z
    .string()
    .optional()
    .describe('Shared secret for webhook signatures; a registry or repository may have its own.'),
  schedules: z.array(scheduleSchema).optional(),
  history: z
    .strictObject({
      retention: duration
        .optional()
        .describe('Delete promotions and deployer reports older than this (e.g. 400d); default: keep history forever.'),
    })
    .optional()
    .describe('Recorded history (promotions, deployments, verification): kept unless a retention is set.'),
  metrics: z
    .strictObject({
      window: duration.optional().describe('The rolling window of the delivery metrics gauges on /metrics (30d).'),
    })
    .optional()
    .describe('Delivery metrics (docs/metrics.md).'),
  webhooks: z
    .strictObject({
      maxBodyBytes: z
        .number()
        .int()
        .min(1024)
        .max(1024 * 1024 * 1024)
        .optional()
        .describe('Largest webhook body in bytes (5 MiB); a larger one is refused with 413 before it is read.'),
      flux: z
        .strictObject({
          secret: z
            .string()
            .min(1)
            .describe(
              "The Flux Provider's secret: generic-hmac signs each event with it (X-Signature); generic sends it as X-Gantry-Token.",
            ),
        })
        .optional()
        .describe('Flux notification-controller events at POST /api/v1/webhooks/flux.'),
      argocd: z
        .strictObject({
          secret: z
            .string()
            .min(1)
            .describe(
              'Sent by the Argo CD notifications webhook service as X-Gantry-Token (or Authorization: Bearer).',
            ),
        })
        .optional()
        .describe('Argo CD Notifications at POST /api/v1/webhooks/argocd.'),
    })
    .optional(),
});

export const logLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    dataDir: z.string().optional().describe('Where Gantry keeps its clone cache and database (.gantry).'),
    logLevel: logLevelSchema.optional(),
    git: z.strictObject({ author: identity.optional(), committer: identity.optional() }).optional(),
    repositories: z.record(name, repositorySchema).optional(),
    registries: z.record(name, registrySchema).optional(),
    pipelinesFile: z
      .string()
      .optional()
      .describe('Pipelines as code (default: gantry.config.ts beside gantry.yaml, when present).'),
    pipelines: z.array(pipelineSchema).optional(),
    server: serverSchema.optional(),
    notifications: notificationsSchema
      .optional()
      .describe('Slack, signed webhooks and GitHub commit statuses on promotions, verification and deployments.'),
  })
  .describe('Gantry configuration (gantry.yaml).');

export type GantryConfig = z.infer<typeof configSchema>;
export type RepositoryConfigInput = z.infer<typeof repositorySchema>;
export type RegistryConfigInput = z.infer<typeof registrySchema>;
export type PipelineConfig = z.infer<typeof pipelineSchema>;
export type PhaseConfig = z.infer<typeof phaseSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;
export type { UpdaterConfig } from './updater-schema.js';
export { updaterSchema };
export type LogLevel = z.infer<typeof logLevelSchema>;
export type ServerConfig = z.infer<typeof serverSchema>;

/** The JSON schema of `gantry.yaml`, for editors (yaml-language-server) and docs. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input' }),
    $id: 'https://gantry.dev/schema/gantry.schema.json',
    title: 'gantry.yaml',
  };
}
