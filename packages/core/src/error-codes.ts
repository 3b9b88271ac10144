/**
 * Every error code Gantry raises, registered once with its category. The category says
 * whose fault it is and what the caller can do; the edges derive their answer from it
 * (HTTP status here, CLI exit code in the CLI), so there is no second table per code.
 * `GantryError`'s `code` is typed to these keys: an unregistered code does not compile.
 */
export type ErrorCategory =
  /** The caller's input is wrong; the message names the field. */
  | 'invalid'
  /** No or a bad API token. */
  | 'unauthorized'
  /** Authenticated, but not allowed (role, origin, host). */
  | 'forbidden'
  /** A named thing (pipeline, phase, promotion, route) does not exist. */
  | 'not_found'
  /** The request is fine but the current state refuses it (blocked, read-only, lost a race). */
  | 'conflict'
  /** The body is larger than the limit. */
  | 'too_large'
  /** The body's content type is not one the route reads. */
  | 'unsupported_media_type'
  /** A registry, Git remote or the content they hold failed us; retrying later may help. */
  | 'upstream_failed'
  /** Gantry or its database cannot serve now (starting, store down). */
  | 'unavailable'
  /** An upstream did not answer in time. */
  | 'timeout'
  /** The server's own configuration is broken (not the caller's input, not a bug). */
  | 'misconfigured'
  /** A bug. */
  | 'internal';

/** The HTTP status of each category: the one table problem+json answers from. */
export const HTTP_STATUS_OF_CATEGORY = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  upstream_failed: 502,
  unavailable: 503,
  timeout: 504,
  misconfigured: 500,
  internal: 500,
} as const satisfies Record<ErrorCategory, number>;

/** Code -> category. Add a code here before raising it; docs/api.md lists them (a test keeps it so). */
export const ERROR_CODES = {
  // the caller's input
  invalid_request: 'invalid',
  invalid_definition: 'invalid',
  invalid_cursor: 'invalid',
  invalid_target: 'invalid',
  target_not_found: 'invalid',
  invalid_reference: 'invalid',
  invalid_select: 'invalid',
  invalid_deployer_event: 'invalid',
  /** Promoting into a phase whose source is read-only can never succeed: the request is wrong, not early. */
  phase_not_writable: 'invalid',
  config_not_found: 'invalid',
  config_load_failed: 'invalid',
  /** gantry.config.ts imports a `gantry` package of another major version than the CLI's. */
  gantry_version_mismatch: 'invalid',
  sandbox_exists: 'invalid',
  store_not_configured: 'invalid',
  store_no_schema: 'invalid',
  // who is asking
  unauthorized: 'unauthorized',
  deployer_unauthenticated: 'unauthorized',
  forbidden: 'forbidden',
  cross_origin_refused: 'forbidden',
  host_not_allowed: 'forbidden',
  // names
  not_found: 'not_found',
  unknown_pipeline: 'not_found',
  unknown_phase: 'not_found',
  unknown_source: 'not_found',
  unknown_repository: 'not_found',
  unknown_registry: 'not_found',
  unknown_promotion: 'not_found',
  /** No CI artifact report has that id. */
  unknown_artifact: 'not_found',
  /** `?pipeline&branch` (release --branch): no build from that branch was reported; `branches` lists those with builds. */
  no_branch_build: 'not_found',
  /** No window gate of that name in the phase (an override names one); `known` lists them. */
  unknown_gate: 'not_found',
  // state
  promotion_blocked: 'conflict',
  /** An approval or rejection of a promotion that waits for no decision (any more). */
  promotion_not_waiting: 'conflict',
  illegal_transition: 'conflict',
  stale_claim: 'conflict',
  store_in_use: 'conflict',
  /** Re-running verification of a promotion that has not succeeded, of a phase without verification, or before its deployer reported healthy. */
  not_verifiable: 'conflict',
  // the body
  payload_too_large: 'too_large',
  unsupported_media_type: 'unsupported_media_type',
  // registries, Git remotes, and what they hold
  registry_error: 'upstream_failed',
  registry_unauthorized: 'upstream_failed',
  registry_unreachable: 'upstream_failed',
  registry_timeout: 'timeout',
  /** The registry answered 429/503 and asks to wait longer than a read waits, or retries ran out; `context.until` says when to ask again. */
  registry_rate_limited: 'upstream_failed',
  manifest_not_found: 'upstream_failed',
  repository_not_found: 'upstream_failed',
  blob_not_found: 'upstream_failed',
  digest_mismatch: 'upstream_failed',
  invalid_manifest: 'upstream_failed',
  not_a_helm_chart: 'upstream_failed',
  /** A Helm chart repository's index does not list the chart. */
  chart_not_found: 'upstream_failed',
  invalid_chart_index: 'upstream_failed',
  invalid_layout: 'upstream_failed',
  git_unreachable: 'upstream_failed',
  git_auth_failed: 'upstream_failed',
  git_failed: 'upstream_failed',
  git_push_rejected: 'upstream_failed',
  git_branch_not_found: 'upstream_failed',
  git_file_missing: 'upstream_failed',
  /** The Git host's pull request API failed (a proposal); `context.status` is its HTTP status. */
  proposal_failed: 'upstream_failed',
  /** The Git host rate-limits us; `context.until` says when to ask again. */
  proposal_rate_limited: 'upstream_failed',
  /** The token was refused or lacks a permission; the message names it. */
  proposal_unauthorized: 'upstream_failed',
  /** A pull request Gantry opened was closed without merging by someone else. */
  proposal_closed: 'conflict',
  /** The proposal branch carries commits Gantry did not write; it is left alone (`proposal.foreignCommits: replace` overrides). */
  proposal_branch_foreign: 'conflict',
  /** The phase's branch moved under an open proposal and changed the version line: the change no longer applies as proposed. */
  proposal_conflict: 'conflict',
  updater_failed: 'upstream_failed',
  // Gantry itself
  not_ready: 'unavailable',
  store_unreachable: 'unavailable',
  store_lease_unavailable: 'unavailable',
  store_migration_failed: 'unavailable',
  interrupted: 'unavailable',
  check_cancelled: 'unavailable',
  server_unreachable: 'unavailable',
  invalid_docker_config: 'misconfigured',
  /** `write: proposal` on a phase whose source cannot open pull requests, or a repository without `provider:`. */
  proposal_unsupported: 'misconfigured',
  /** No `git` on the PATH: the setup, not the request (`gantry doctor` says what to install). */
  git_not_found: 'misconfigured',
  /** The process that starts git commands for a server died with commands pending; the next one starts it again. */
  git_spawn_helper_failed: 'unavailable',
  /** The `git` on the PATH is older than Gantry needs. */
  git_too_old: 'misconfigured',
  internal: 'internal',
} as const satisfies Record<string, ErrorCategory>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

/** The category of a code; a code nobody registered (from another process, a newer server) is `internal`. */
export function categoryOf(code: string): ErrorCategory {
  return isErrorCode(code) ? ERROR_CODES[code] : 'internal';
}

/** The HTTP status a code is answered with. */
export function httpStatusOf(code: string): (typeof HTTP_STATUS_OF_CATEGORY)[ErrorCategory] {
  return HTTP_STATUS_OF_CATEGORY[categoryOf(code)];
}
