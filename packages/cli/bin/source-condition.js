// Module resolution hooks for running from the sources: packages export their TypeScript
// sources under the `@gantry/source` condition (and their build otherwise), as tsc's
// `customConditions` and vitest's aliases see them too.
/** @type {import('node:module').ResolveHook} */
export function resolve(specifier, context, next) {
  return next(specifier, { ...context, conditions: [...context.conditions, '@gantry/source'] });
}
