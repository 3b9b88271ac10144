import type { z } from '@hono/zod-openapi';
import { ApiError } from '../problem.js';

/**
 * A route's validation hook whose 400 names the first refused field (`field`, e.g. `reason`;
 * `(body)` when the body as a whole is refused) besides every `[path] message` in the detail
 * and in `issues`, as a person or a script fixes one field at a time.
 */
export const namingHook = (result: { success: true } | { success: false; error: z.ZodError }): undefined => {
  if (result.success) return undefined;
  const issues = result.error.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(body)',
    message: i.message,
  }));
  throw new ApiError('invalid_request', issues.map((i) => `[${i.path}] ${i.message}`).join('; '), {
    field: issues[0]?.path ?? '(body)',
    issues,
  });
};
