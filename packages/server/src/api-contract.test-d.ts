import type { ApiPhaseStatus, ApiPipelineStatus, ApiPromotion, ApiPromotionDetail } from '@gantry/api';
import type { PhaseStatus, PipelineStatus } from '@gantry/core';
import type { Promotion, PromotionWithEvents } from '@gantry/store';
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
 * `@gantry/api` declares the HTTP contract on its own (it imports no Gantry package, so the
 * dashboard's type graph holds no server code); these prove that what the server answers
 * with, the store's and the engine's values as JSON, still fits the contract.
 */
describe('the API contract fits what the server sends', () => {
  it('GIVEN a stored promotion THEN it is an API promotion, with its events a promotion detail', () => {
    expectTypeOf<Json<Promotion>>().toExtend<ApiPromotion>();
    expectTypeOf<Json<PromotionWithEvents>>().toExtend<ApiPromotionDetail>();
  });

  it("GIVEN the engine's phase and pipeline status THEN they are API statuses", () => {
    expectTypeOf<Json<PhaseStatus>>().toExtend<ApiPhaseStatus>();
    expectTypeOf<Json<PipelineStatus>>().toExtend<ApiPipelineStatus>();
  });
});
