import type {
  ApiCheckResult,
  ApiDeployerEvent,
  ApiDeployerRef,
  ApiGatesSummary,
  ApiGateVerdict,
  ApiPhaseStatus,
  ApiPipelineStatus,
  ApiPromotion,
  ApiPromotionDetail,
  ApiWhy,
} from '@gantry/api';
import type { CheckResult } from '@gantry/checks';
import type { PhaseStatus, PipelineStatus } from '@gantry/core';
import type { DeployerRef } from '@gantry/deployments';
import type { GatesSummary, GateVerdict } from '@gantry/gates';
import type { Why } from '@gantry/lifecycle';
import type { DeployerEventRecord, Promotion, PromotionWithEvents } from '@gantry/store';
import type { TrackedPhaseStatus } from './phase-tracking.js';
import { describe, expectTypeOf, it } from 'vitest';

/** What `JSON.stringify` makes of a value: dates become strings, and nothing is `readonly` on the wire. */
type Json<T> = T extends Date
  ? string
  : T extends readonly (infer E)[]
    ? Json<E>[]
    : T extends object
      ? { -readonly [K in keyof T]: Json<T[K]> }
      : T;

/**
 * The store keeps a promotion's gate verdicts as the lifecycle recorded them (evaluateGates'
 * `GateVerdict[]`) without knowing their type (the store imports no gates): typed here.
 */
type Recorded<P> = Omit<P, 'gates'> & { gates?: GateVerdict[] };

/**
 * `@gantry/api` declares the HTTP contract on its own (it imports no Gantry package, so the
 * dashboard's type graph holds no server code); these prove that what the server answers
 * with, the store's and the engine's values as JSON, still fits the contract.
 */
describe('the API contract fits what the server sends', () => {
  it('GIVEN a stored promotion THEN it is an API promotion, with its events a promotion detail', () => {
    expectTypeOf<Json<Recorded<Promotion>>>().toExtend<ApiPromotion>();
    expectTypeOf<Json<Recorded<PromotionWithEvents>>>().toExtend<ApiPromotionDetail>();
  });

  it("GIVEN the gates' verdicts of every kind and their summary THEN they are the API's typed verdicts; why's answer is the API's", () => {
    expectTypeOf<Json<GateVerdict>>().toExtend<ApiGateVerdict>();
    expectTypeOf<Json<GatesSummary>>().toExtend<ApiGatesSummary>();
    // each kind's verdict is that kind's API verdict, not merely some verdict
    expectTypeOf<Json<Extract<GateVerdict, { kind: 'approval' }>>>().toExtend<
      Extract<ApiGateVerdict, { kind: 'approval' }>
    >();
    expectTypeOf<Json<Omit<Why, 'unfinished'> & { unfinished: Recorded<Promotion>[] }>>().toExtend<ApiWhy>();
  });

  it("GIVEN the engine's phase and pipeline status THEN they are API statuses", () => {
    expectTypeOf<Json<PhaseStatus>>().toExtend<ApiPhaseStatus>();
    expectTypeOf<Json<PipelineStatus>>().toExtend<ApiPipelineStatus>();
    expectTypeOf<Json<TrackedPhaseStatus>>().toExtend<ApiPhaseStatus>();
  });

  it('GIVEN recorded check results and deployer reports THEN they are what the API lists', () => {
    expectTypeOf<Json<CheckResult>>().toExtend<ApiCheckResult>();
    expectTypeOf<Json<Omit<DeployerEventRecord, 'key'> & { mapping?: DeployerRef }>>().toExtend<ApiDeployerEvent>();
    expectTypeOf<Json<DeployerRef>>().toExtend<ApiDeployerRef>();
  });
});
