import { z } from '@hono/zod-openapi';

/** A resource as JSON: any object with a `kind`. */
export const resourceSchema = z.looseObject({ kind: z.string() }).openapi('Resource', {
  description: 'A resource as JSON; its fields depend on kind (oci-image, helm-chart, git-commit, bundle).',
});

/** The revision that set a version: a commit for Git. */
export const revisionSchema = z
  .object({
    id: z.string(),
    time: z.string().optional(),
    author: z.string().optional(),
    message: z.string().optional(),
    url: z.string().optional(),
    trailers: z.record(z.string(), z.string()).optional(),
  })
  .openapi('Revision');

/** A version: the resource, its digest and its display version. */
export const resourceRefSchema = z.object({ resource: resourceSchema, digest: z.string(), version: z.string() });
