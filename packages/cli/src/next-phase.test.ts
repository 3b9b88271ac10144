import { describe, expect, it } from 'vitest';
import type { PhaseStanding } from './next-phase.js';
import { nextBehind } from './next-phase.js';

const source = (phase: string): PhaseStanding => ({ phase, writable: false, state: 'source', upstreams: [] });
// digest null: the upstream holds nothing yet
const at = (phase: string, from: string, inSync: boolean, digest: string | null = 'sha256:a'): PhaseStanding => ({
  phase,
  writable: true,
  state: inSync ? 'in-sync' : 'behind',
  upstreams: [{ phase: from, ...(digest ? { digest } : {}), inSync }],
});

describe('nextBehind', () => {
  it('GIVEN a chain whose staging is behind THEN staging, before production', () => {
    expect(nextBehind([source('oci'), at('staging', 'oci', false), at('production', 'staging', false)])).toEqual({
      kind: 'next',
      phase: 'staging',
      alsoBehind: [],
    });
  });
  it('GIVEN staging in sync and production behind THEN production', () => {
    expect(nextBehind([source('oci'), at('staging', 'oci', true), at('production', 'staging', false)])).toMatchObject({
      phase: 'production',
    });
  });
  it('GIVEN everything in sync, or an upstream with nothing yet THEN in sync', () => {
    expect(nextBehind([source('oci'), at('staging', 'oci', true), at('production', 'staging', true)])).toEqual({
      kind: 'in-sync',
    });
    expect(nextBehind([source('oci'), at('staging', 'oci', false, null)])).toEqual({ kind: 'in-sync' });
  });
  it('GIVEN a fan-out with both regions behind THEN the first, naming the other', () => {
    const phases = [
      source('oci'),
      at('staging', 'oci', true),
      at('eu-prod', 'staging', false),
      at('us-prod', 'staging', false),
      at('global', 'eu-prod', false),
    ];
    expect(nextBehind(phases)).toEqual({ kind: 'next', phase: 'eu-prod', alsoBehind: ['us-prod'] });
  });
  it('GIVEN a phase in error THEN it is passed over', () => {
    const broken: PhaseStanding = { phase: 'staging', writable: true, state: 'error', upstreams: [] };
    expect(nextBehind([source('oci'), broken, at('production', 'staging', false)])).toMatchObject({
      phase: 'production',
    });
  });
});
