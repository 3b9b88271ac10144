import { problemSchema } from '../api-schemas.js';

/** An OpenAPI response of JSON in `schema`. */
export const json = <T>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** An OpenAPI problem+json error response. */
export const problem = (description: string) => ({
  content: { 'application/problem+json': { schema: problemSchema } },
  description,
});
