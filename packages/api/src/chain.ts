import { z } from '@hono/zod-openapi';
import { artifactStepSchema } from './artifacts.js';
import { triggerSchema } from './promotion.js';
import { resourceSchema } from './resource.js';

const timestamp = z.iso.datetime({ offset: true });

/** Web pages of what a chain or lineage entry names, from `links` templates in gantry.yaml (or GitHub/GitLab defaults). */
export const linksSchema = z
  .object({
    sourceCommit: z.string().optional().openapi({ description: 'The source commit the version was built from.' }),
    ciRun: z.string().optional().openapi({ description: 'The CI run that built it.' }),
    image: z.string().optional().openapi({ description: "The image's page in its registry." }),
    configCommit: z.string().optional().openapi({ description: 'The commit in the config repository.' }),
    proposal: z.string().optional().openapi({ description: 'The pull or merge request, for a proposal.' }),
  })
  .openapi('Links');

/**
 * How far a link of the chain is: `done`, `pending` (not yet: no report, still running),
 * `failed`, or `unknown` (nothing records it, e.g. no CI report and no image labels).
 */
export const chainLinkStateSchema = z.enum(['done', 'pending', 'failed', 'unknown']);

const common = {
  state: chainLinkStateSchema,
  at: timestamp.optional().openapi({ description: 'When this link happened.' }),
  by: z
    .string()
    .optional()
    .openapi({ description: 'Who or what made it: a person, CI, Gantry, the deployer, checks.' }),
  url: z.string().optional().openapi({ description: 'Its web page, when one is known.' }),
  summary: z.string().openapi({ description: 'One line for people.' }),
};

const person = z.object({ name: z.string().optional(), email: z.string().optional() });
const deployerFields = {
  deployer: z.string().optional().openapi({ description: '`flux` or `argocd`.' }),
  object: z.string().optional().openapi({ description: 'The deployer object that reported, `kind namespace/name`.' }),
  commit: z.string().optional().openapi({ description: 'The config commit it reported.' }),
  message: z.string().optional(),
};

/** One link of a version's chain, from the source commit to verified. */
export const chainLinkSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('source'),
      ...common,
      sha: z.string().optional(),
      message: z.string().optional(),
      author: person.optional(),
      branch: z.string().optional(),
      repository: z.string().optional(),
      from: z
        .enum(['report', 'labels', 'report+labels'])
        .optional()
        .openapi({ description: "Whether CI's report or the image's OCI labels said so." }),
    }),
    z.object({
      kind: z.literal('ci'),
      ...common,
      artifactId: z.uuid().optional(),
      runUrl: z.string().optional(),
      provider: z.string().optional(),
      steps: z.array(
        artifactStepSchema.pick({ name: true, status: true, durationMs: true, url: true, finishedAt: true }),
      ),
      verified: z
        .boolean()
        .optional()
        .openapi({ description: 'The registry holds what the report names; an unverified report is no fact.' }),
      unverifiedReason: z.string().optional(),
    }),
    z.object({
      kind: z.literal('image'),
      ...common,
      reference: z.string().optional().openapi({ description: 'The image repository (or chart) without digest.' }),
      digest: z.string(),
      version: z.string(),
    }),
    z.object({
      kind: z.literal('config'),
      ...common,
      repository: z.string().optional(),
      branch: z.string().optional(),
      sha: z.string().optional(),
      message: z.string().optional(),
      promotionId: z.uuid().optional(),
      promotionState: z.string().optional(),
      reason: z.string().optional(),
      trigger: triggerSchema.optional(),
      rollbackOf: z.uuid().optional(),
    }),
    z.object({ kind: z.literal('applied'), ...common, ...deployerFields }),
    z.object({ kind: z.literal('healthy'), ...common, ...deployerFields }),
    z.object({
      kind: z.literal('verified'),
      ...common,
      run: z.number().int().nonnegative().optional(),
      checks: z.array(z.object({ name: z.string(), status: z.string() })),
      failed: z.array(z.string()).optional(),
      reason: z.string().optional(),
    }),
  ])
  .openapi('ChainLink');

/**
 * How a version got into a phase: source commit -> CI run and its steps -> image -> config
 * commit -> applied -> healthy -> verified, with who and when at each link.
 */
export const chainSchema = z
  .object({
    pipeline: z.string(),
    phase: z.string(),
    version: z.string(),
    digest: z.string(),
    resource: resourceSchema.optional(),
    current: z.boolean().openapi({ description: 'The phase runs this version now.' }),
    promotionId: z.uuid().optional().openapi({ description: 'The promotion that brought it, if Gantry wrote it.' }),
    links: linksSchema,
    chain: z.array(chainLinkSchema),
  })
  .openapi('Chain');

/** `?version=` or `?digest=` (at most one); neither: the version the phase runs now. */
export const chainQuery = z
  .object({
    version: z.string().min(1).max(256).optional().openapi({ description: 'A version as shown (tag, chart version).' }),
    digest: z.string().min(1).max(256).optional().openapi({ description: "The version's digest." }),
  })
  .refine((q) => q.version === undefined || q.digest === undefined, {
    message: 'name at most one of version and digest',
  });

export type ApiChain = z.infer<typeof chainSchema>;
export type ApiChainLink = z.infer<typeof chainLinkSchema>;
export type ApiChainLinkState = z.infer<typeof chainLinkStateSchema>;
export type ApiLinks = z.infer<typeof linksSchema>;
