import { z } from 'zod';

/**
 * The `updater:` of a git source in gantry.yaml: which value of the file a phase reads and
 * writes. Kept apart from the rest of the schema: one schema per updater, each with the
 * options of its TypeScript counterpart in `@gantry/updaters`.
 */

const paths = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const imageWrite = {
  form: z
    .enum(['tag', 'digest', 'tag@digest'])
    .optional()
    .describe(
      'What is written: a tag, a digest or both. Default: a digest (keeping a tag shown beside it); `tag` makes the phase hold tags, and its pipeline compare versions by tag.',
    ),
  host: z
    .string()
    .min(1)
    .optional()
    .describe(
      '`keep` (default): the registry host and repository written in the file stay, only the version changes; `source`: the repository Gantry reads from; or a host to write.',
    ),
};

const ranges = {
  holdsRanges: z
    .boolean()
    .optional()
    .describe(
      'The file may hold a version range (`6.5.*`, `>=1.0.0`): read as no version yet, and replaced by the exact version on promotion. Without it a range is an error.',
    ),
};

const select = z
  .strictObject({ kind: z.string().min(1).optional(), name: z.string().min(1).optional() })
  .describe('In a multi-document file: the document holding the path, by kind and metadata.name.');

const argoSource = {
  application: z.string().min(1).optional().describe('metadata.name, when the file holds several.'),
  chart: z.string().min(1).optional().describe('Multi-source Applications: the source with this chart.'),
  repoURL: z.string().min(1).optional().describe('Multi-source Applications: the source with this repoURL.'),
};

const helmValuesFields = {
  image: paths.optional().describe('Paths of whole references (repo:tag@digest).'),
  repository: z.string().min(1).optional().describe('Default: the `repository` beside the tag or digest.'),
  registry: z.string().min(1).optional().describe('Bitnami-style charts: the host in its own value.'),
  tag: paths.optional().describe('Paths of the tag (Helm default chart: image.tag).'),
  digest: paths.optional().describe('Paths of the digest.'),
  tagFormat: z.enum(['tag', 'tag@digest']).optional().describe('`tag@digest`: the tag value carries the digest.'),
  imageName: z.string().min(1).optional().describe('The image name for files holding only a tag.'),
  ...imageWrite,
};

/** A value outside YAML (Terraform, CUE, a marked line): what it holds. */
const valueFields = {
  value: z
    .enum(['image', 'tag', 'digest', 'version', 'commit'])
    .describe('A whole image reference, an image tag or digest, a chart/module version, or a commit.'),
  image: z.string().min(1).optional().describe('With value tag or digest: the image it versions.'),
  chart: z.string().min(1).optional().describe('With value version: the chart or module it versions.'),
  ...imageWrite,
  ...ranges,
};

const needsName = (
  u: { value: string; image?: string | undefined; chart?: string | undefined },
  ctx: z.RefinementCtx,
) => {
  if ((u.value === 'tag' || u.value === 'digest') && u.image === undefined)
    ctx.addIssue({ code: 'custom', path: ['image'], message: `value ${u.value} needs the image it versions` });
  if (u.value === 'version' && u.chart === undefined)
    ctx.addIssue({ code: 'custom', path: ['chart'], message: 'value version needs the chart (or module) name' });
};

export const updaterSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('kubernetes-image'),
    container: z.string().min(1),
    envVar: z.string().optional(),
    initContainer: z.boolean().optional(),
    ...imageWrite,
  }),
  z.strictObject({ type: z.literal('kustomize-image'), name: z.string().min(1), ...imageWrite }),
  z.strictObject({ type: z.literal('kustomize-helm-chart'), name: z.string().min(1), ...ranges }),
  z.strictObject({ type: z.literal('helm-values'), ...helmValuesFields }),
  z.strictObject({
    type: z.literal('helm-release-chart'),
    name: z.string().min(1).optional().describe('metadata.name, when the file holds several HelmReleases.'),
    chart: z.string().min(1).optional().describe('The chart name, for patches that hold only the version.'),
    ...ranges,
  }),
  z.strictObject({ type: z.literal('image-path'), path: z.string().min(1), select: select.optional(), ...imageWrite }),
  z.strictObject({
    type: z.literal('chart-version-path'),
    path: z.string().min(1),
    chart: z.string().min(1),
    select: select.optional(),
    ...ranges,
  }),
  z.strictObject({
    type: z.literal('flux-oci-repository'),
    name: z.string().min(1).optional(),
    chart: z.string().min(1).optional().describe('Default: the last part of spec.url.'),
    ...ranges,
  }),
  z.strictObject({ type: z.literal('flux-oci-artifact'), name: z.string().min(1).optional(), ...imageWrite }),
  z.strictObject({ type: z.literal('flux-git-repository'), name: z.string().min(1).optional() }),
  z.strictObject({
    type: z.literal('flux-git-repository-tag'),
    name: z.string().min(1).optional(),
    chart: z.string().min(1).optional(),
    ...ranges,
  }),
  z.strictObject({
    type: z.literal('flux-image-policy'),
    policy: z.string().min(1).describe('The ImagePolicy of the markers: <namespace>:<name>, or <name>.'),
    ...imageWrite,
  }),
  z.strictObject({ type: z.literal('argocd-chart'), ...argoSource, ...ranges }),
  z.strictObject({ type: z.literal('argocd-revision'), ...argoSource }),
  z.strictObject({
    type: z.literal('argocd-helm-image'),
    ...argoSource,
    parameters: z
      .strictObject({
        image: z.string().min(1).optional(),
        repository: z.string().min(1).optional(),
        tag: z.string().min(1).optional(),
        digest: z.string().min(1).optional(),
        tagFormat: z.enum(['tag', 'tag@digest']).optional(),
        imageName: z.string().min(1).optional().describe('The image name when no parameter holds it.'),
        ...imageWrite,
      })
      .optional()
      .describe('helm.parameters, by parameter name.'),
    valuesObject: z.strictObject(helmValuesFields).optional().describe('Paths under helm.valuesObject.'),
  }),
  z.strictObject({ type: z.literal('argocd-kustomize-image'), ...argoSource, name: z.string().min(1), ...imageWrite }),
  z.strictObject({
    type: z.literal('argocd-image-updater'),
    helm: z
      .strictObject({
        name: z.string().min(1).optional(),
        tag: z.string().min(1).optional(),
        tagFormat: z.enum(['tag', 'tag@digest']).optional(),
      })
      .optional(),
    kustomize: z.strictObject({ name: z.string().min(1) }).optional(),
    ...imageWrite,
  }),
  z.strictObject({
    type: z.literal('terraform-module'),
    module: z.string().min(1),
    field: z.enum(['version', 'ref']).optional(),
    ...ranges,
  }),
  z.strictObject({ type: z.literal('terraform-module-commit'), module: z.string().min(1) }),
  z
    .strictObject({ type: z.literal('terraform-variable'), variable: z.string().min(1), ...valueFields })
    .superRefine(needsName),
  z.strictObject({ type: z.literal('cue-field'), path: z.string().min(1), ...valueFields }).superRefine(needsName),
  z
    .strictObject({
      type: z.literal('marker'),
      marker: z.string().min(1),
      line: z.enum(['same', 'next']).optional(),
      pattern: z.string().min(1).describe('A regular expression; its first capture group is the value.'),
      ...valueFields,
    })
    .superRefine(needsName),
]);

export type UpdaterConfig = z.infer<typeof updaterSchema>;
