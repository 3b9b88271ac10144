import type { z } from '@hono/zod-openapi';
import { ApiError } from '../problem.js';

/**
 * A route's validation hook whose 400 names the first refused field (`field`, e.g. `reason`)
 * besides every `[path] message` in the detail, as a person or a script fixes one field at a time.
 */
export const namingHook = (result: { success: true } | { success: false; error: z.ZodError }): undefined => {
  if (result.success) return undefined;
  const issues = result.error.issues;
  const field = issues[0]?.path.map(String).join('.') || undefined;
  throw new ApiError(
    'invalid_request',
    issues.map((i) => `[${i.path.map(String).join('.') || '(body)'}] ${i.message}`).join('; '),
    { ...(field ? { field } : {}) },
  );
};
