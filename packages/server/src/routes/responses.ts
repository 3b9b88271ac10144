import { problemSchema } from '@gantry/api';
import { ERROR_CODES } from '@gantry/core';
import { z } from '@hono/zod-openapi';

/**
 * problem+json as this server documents it: the contract's shape, with the codes it raises
 * listed (a client still reads any string: a newer server may add codes).
 */
export const documentedProblemSchema = problemSchema
  .extend({
    code: z.string().openapi({
      enum: Object.keys(ERROR_CODES),
      description: 'Stable error code; docs/api.md lists each with its status.',
    }),
  })
  .openapi('Problem');

/** An OpenAPI response of JSON in `schema`. */
export const json = <T>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** An OpenAPI problem+json error response. */
export const problem = (description: string) => ({
  content: { 'application/problem+json': { schema: documentedProblemSchema } },
  description,
});
