import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorCode } from '@gantry/core';
import { ERROR_CODES, GantryError, NotFoundError, ValidationError } from '@gantry/core';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { toProblem } from './problem.js';

/**
 * Written out by hand on purpose: the registry decides statuses through categories, and
 * this list is what the API promises. A new code fails here until its status is chosen.
 */
const EXPECTED: Record<ErrorCode, number> = {
  invalid_request: 400,
  invalid_definition: 400,
  invalid_cursor: 400,
  invalid_target: 400,
  target_not_found: 400,
  invalid_reference: 400,
  invalid_select: 400,
  invalid_deployer_event: 400,
  config_not_found: 400,
  config_load_failed: 400,
  gantry_version_mismatch: 400,
  sandbox_exists: 400,
  store_not_configured: 400,
  store_no_schema: 400,
  unauthorized: 401,
  deployer_unauthenticated: 401,
  forbidden: 403,
  cross_origin_refused: 403,
  host_not_allowed: 403,
  not_found: 404,
  unknown_pipeline: 404,
  unknown_phase: 404,
  unknown_source: 404,
  unknown_repository: 404,
  unknown_registry: 404,
  unknown_promotion: 404,
  unknown_artifact: 404,
  no_branch_build: 404,
  unknown_gate: 404,
  phase_not_writable: 400,
  promotion_blocked: 409,
  promotion_not_waiting: 409,
  illegal_transition: 409,
  stale_claim: 409,
  store_in_use: 409,
  not_verifiable: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  registry_error: 502,
  registry_unauthorized: 502,
  registry_unreachable: 502,
  registry_timeout: 504,
  registry_rate_limited: 502,
  manifest_not_found: 502,
  repository_not_found: 502,
  blob_not_found: 502,
  digest_mismatch: 502,
  invalid_manifest: 502,
  not_a_helm_chart: 502,
  chart_not_found: 502,
  invalid_chart_index: 502,
  invalid_layout: 502,
  git_unreachable: 502,
  git_auth_failed: 502,
  git_failed: 502,
  git_push_rejected: 502,
  proposal_failed: 502,
  proposal_rate_limited: 502,
  proposal_unauthorized: 502,
  proposal_closed: 409,
  proposal_branch_foreign: 409,
  proposal_conflict: 409,
  proposal_unsupported: 500,
  git_branch_not_found: 502,
  git_file_missing: 502,
  updater_failed: 502,
  not_ready: 503,
  store_unreachable: 503,
  store_lease_unavailable: 503,
  store_migration_failed: 503,
  interrupted: 503,
  check_cancelled: 503,
  server_unreachable: 503,
  git_spawn_helper_failed: 503,
  invalid_docker_config: 500,
  git_not_found: 500,
  git_too_old: 500,
  internal: 500,
};

describe('one mapping from error code to HTTP status', () => {
  const codes = Object.keys(ERROR_CODES) as ErrorCode[];

  it('GIVEN the registry WHEN compared with the promised list THEN both name the same codes', () => {
    expect([...codes].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(codes)('GIVEN a Gantry error %s WHEN rendered THEN its problem has the promised status and code', (code) => {
    const p = toProblem(new GantryError(code, `a ${code} happened`));
    expect(p.status).toBe(EXPECTED[code]);
    expect(p.code).toBe(code);
    expect(p.type).toBe(`https://gantry.dev/problems/${code}`);
  });

  it('GIVEN an error that is a bug WHEN rendered THEN 500 internal, and its message stays in the log', () => {
    const p = toProblem(new TypeError('secret path /etc/x'));
    expect(p).toMatchObject({ status: 500, code: 'internal' });
    expect(p.detail).not.toContain('/etc/x');
    expect(toProblem(new GantryError('internal', 'wrapped /etc/x')).detail).not.toContain('/etc/x');
  });

  it('GIVEN errors with a field, known names or issues WHEN rendered THEN those go with the problem', () => {
    expect(toProblem(new GantryError('invalid_target', 'x', { field: 'target.digest' })).field).toBe('target.digest');
    expect(toProblem(new NotFoundError('pipeline', 'nope', ['app'])).known).toEqual(['app']);
    expect(toProblem(new ValidationError('config', [{ path: 'a', message: 'b' }]))).toMatchObject({
      status: 400,
      issues: [{ path: 'a', message: 'b' }],
    });
    // a refused request (a route's validation hook): the first field and every issue
    const refused = new GantryError('invalid_request', '[reason] Required; [digest] Invalid', {
      field: 'reason',
      issues: [
        { path: 'reason', message: 'Required' },
        { path: 'digest', message: 'Invalid' },
      ],
    });
    expect(toProblem(refused)).toMatchObject({ field: 'reason', issues: [{ path: 'reason' }, { path: 'digest' }] });
    // context that is not a list of issues is not passed on
    expect(toProblem(new GantryError('invalid_request', 'x', { issues: 'nope' })).issues).toBeUndefined();
  });

  it("GIVEN hono's own refusals WHEN rendered THEN the status stays and the code is a registered one", () => {
    expect(toProblem(new HTTPException(413))).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(toProblem(new HTTPException(400, { message: 'Malformed JSON' }))).toMatchObject({
      status: 400,
      code: 'invalid_request',
    });
    expect(toProblem(new HTTPException(500))).toMatchObject({ status: 500, code: 'internal' });
  });

  it('GIVEN docs/api.md WHEN its error table is read THEN it lists every code with its status', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/api.md', import.meta.url)), 'utf8');
    const rows = new Map(
      [...doc.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|/gm)].map((m) => [m[1] as string, Number(m[2])]),
    );
    expect(Object.fromEntries(codes.map((c) => [c, rows.get(c)]))).toEqual(EXPECTED);
  });
});
