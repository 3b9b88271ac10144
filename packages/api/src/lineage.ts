import { z } from '@hono/zod-openapi';
import { linksSchema } from './chain.js';
import { resourceSchema } from './resource.js';

const timestamp = z.iso.datetime({ offset: true });

/**
 * One stay of a version in a phase: from when it entered to when another version replaced it
 * (no `leftAt`: it is still there). `via: git` for a commit Gantry did not write (found in
 * the phase's Git history); `source` for a version seen at a source phase (registry).
 */
export const lineageStaySchema = z.object({
  enteredAt: timestamp.optional(),
  leftAt: timestamp.optional(),
  via: z.enum(['gantry', 'git', 'source']),
  promotionId: z.uuid().optional(),
  commit: z.string().optional(),
  url: z.string().optional().openapi({ description: "The config commit's web page, when known." }),
  by: z.string().optional(),
  verification: z
    .object({ state: z.enum(['pending', 'running', 'verified', 'failed']), at: timestamp })
    .optional()
    .openapi({ description: "The promotion's verification there; absent when Gantry did not write it." }),
});

/** A version in one phase: every stay, newest last. */
export const lineageCellSchema = z.object({
  phase: z.string(),
  current: z.boolean().openapi({ description: 'The phase runs this version now.' }),
  /** First time it entered the phase. */
  enteredAt: timestamp.optional(),
  /** When it last left; absent while current or never there. */
  leftAt: timestamp.optional(),
  verified: z.boolean().openapi({ description: 'It was verified there at least once.' }),
  verifiedAt: timestamp.optional(),
  stays: z.array(lineageStaySchema),
});

/** How a release of this version is named: by digest where the digest is a registry's, else by version. */
export const releaseSpecSchema = z.union([z.object({ digest: z.string() }), z.object({ version: z.string() })]);

export const lineageVersionSchema = z
  .object({
    version: z.string(),
    digest: z.string(),
    resource: resourceSchema
      .optional()
      .openapi({ description: 'Absent for a build CI reported that no phase has held yet.' }),
    /** When it first appeared anywhere in the pipeline. */
    firstSeen: timestamp.optional(),
    release: releaseSpecSchema.openapi({ description: 'What a release of it sends (`version` or `digest`).' }),
    links: linksSchema,
    phases: z.array(lineageCellSchema).openapi({ description: 'One cell per phase, in the order of `phases`.' }),
  })
  .openapi('LineageVersion');

/** A pipeline's versions (newest first) and where each has been: Kargo's freight, from history. */
export const lineageSchema = z
  .object({
    pipeline: z.string(),
    phases: z.array(z.object({ phase: z.string(), writable: z.boolean() })),
    versions: z.array(lineageVersionSchema),
  })
  .openapi('Lineage');

export const lineageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .optional()
    .openapi({ description: 'Newest versions to return (default 50).' }),
});

export type ApiLineage = z.infer<typeof lineageSchema>;
export type ApiLineageVersion = z.infer<typeof lineageVersionSchema>;
export type ApiLineageCell = z.infer<typeof lineageCellSchema>;
export type ApiLineageStay = z.infer<typeof lineageStaySchema>;
export type ApiReleaseSpec = z.infer<typeof releaseSpecSchema>;
