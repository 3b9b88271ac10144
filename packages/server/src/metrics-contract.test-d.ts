import type { ApiDeliveryMetrics } from '@gantry/api';
import type { DeliveryMetrics } from '@gantry/metrics';
import { describe, expectTypeOf, it } from 'vitest';

/** What `JSON.stringify` makes of a value: nothing is `readonly` on the wire. */
type Json<T> = T extends readonly (infer E)[]
  ? Json<E>[]
  : T extends object
    ? { -readonly [K in keyof T]: Json<T[K]> }
    : T;

describe('the metrics contract fits what the server sends', () => {
  it('GIVEN the computed delivery metrics THEN they are the API answer of GET /api/v1/metrics', () => {
    expectTypeOf<Json<DeliveryMetrics>>().toExtend<ApiDeliveryMetrics>();
  });
});
