export type { Check, CheckInput, CheckKind } from './check-schema.js';
export { checkSchema, checksSchema, parseCheck, parseChecks } from './check-schema.js';
export { checkNameSchema, defaultCheckName } from './check-name.js';
export type { CommandCheck, CommandCheckInput } from './command-schema.js';
export { commandCheckSchema } from './command-schema.js';
export type { Comparison, ComparisonOperator } from './comparison.js';
export { COMPARISON_OPERATORS, compare, comparisonSchema, formatComparison, parseComparison } from './comparison.js';
export type { CheckContext } from './context.js';
export { CONTEXT_VARIABLES, commandEnvironment, renderCheck, templateVariables } from './context.js';
export type { CheckDeps } from './deps.js';
export { durationSchema, formatDuration } from './duration-schema.js';
export { CheckCancelledError } from './errors.js';
export type { HttpCheck, HttpCheckInput } from './http-schema.js';
export { HTTP_METHODS, httpCheckSchema } from './http-schema.js';
export type { PrometheusCheck, PrometheusCheckInput } from './prometheus-schema.js';
export { prometheusCheckSchema } from './prometheus-schema.js';
export type {
  CheckResult,
  CheckStatus,
  CommandEvidence,
  HttpEvidence,
  PrometheusEvidence,
  PrometheusSample,
} from './result.js';
export {
  checkResultSchema,
  commandEvidenceSchema,
  httpEvidenceSchema,
  prometheusEvidenceSchema,
  prometheusSampleSchema,
} from './result.js';
export { runCheck } from './run-check.js';
export type { RunChecksOptions } from './run-checks.js';
export { runChecks } from './run-checks.js';
export { MAX_BODY_BYTES } from './run-http.js';
export type { StatusRange } from './status-range.js';
export { expectedStatusSchema, formatStatusRanges, statusMatches } from './status-range.js';
export { DEFAULT_OUTPUT_LIMIT } from './tail-buffer.js';
export type { Verdict } from './verdict.js';
export { evaluateVerdict } from './verdict.js';
