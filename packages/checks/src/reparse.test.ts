import { describe, expect, it } from 'vitest';
import { parseChecks } from './check-schema.js';

describe('parsing a parsed check', () => {
  it('GIVEN checks of every kind, parsed from gantry.yaml WHEN parsed again (as the lifecycle does) THEN they are the same checks', () => {
    // GIVEN
    const once = parseChecks([
      { kind: 'http', url: 'http://127.0.0.1:1/healthz', expectStatus: ['2xx', 404], expectBody: 'ok', timeout: '2s' },
      {
        kind: 'prometheus',
        server: 'http://127.0.0.1:9090',
        query: 'up',
        expect: '< 0.01',
        retries: 2,
        interval: '1s',
      },
      { kind: 'command', argv: ['true'], timeout: '5s' },
    ]);
    // WHEN / THEN
    expect(parseChecks(once)).toEqual(once);
  });
});
