import { describe, expect, it } from 'vitest';
import { parseCheck } from './check-schema.js';
import type { CheckContext } from './context.js';
import { commandEnvironment, renderCheck } from './context.js';

const context: CheckContext = {
  pipeline: 'shop',
  phase: 'production',
  promotionId: 'p-1',
  version: '2.0.0',
  digest: 'sha256:abc',
};

describe('promotion context', () => {
  it('GIVEN a base environment WHEN a command environment is built THEN GANTRY_* describe only the promotion', () => {
    const env = commandEnvironment(
      context,
      'smoke',
      { EXTRA: '1', GANTRY_PHASE: 'mine' },
      {
        PATH: '/usr/bin',
        GANTRY_TOKEN: 'secret',
        UNSET: undefined,
      },
    );
    expect(env).toEqual({
      PATH: '/usr/bin',
      EXTRA: '1',
      GANTRY_PIPELINE: 'shop',
      GANTRY_PHASE: 'production',
      GANTRY_PROMOTION_ID: 'p-1',
      GANTRY_VERSION: '2.0.0',
      GANTRY_DIGEST: 'sha256:abc',
      GANTRY_FROM_VERSION: '',
      GANTRY_FROM_DIGEST: '',
      GANTRY_UPSTREAM: '',
      GANTRY_COMMIT: '',
      GANTRY_CHECK_NAME: 'smoke',
    });
  });

  it('GIVEN templates in an HTTP check WHEN rendered THEN URL, headers, body and substring are filled, the regex is not', () => {
    const check = parseCheck({
      kind: 'http',
      url: 'https://{{phase}}.shop.example/version?d={{digest}}',
      headers: { 'x-promotion': '{{promotionId}}' },
      body: '{{version}}',
      expectBody: '{{version}}',
    });
    const rendered = renderCheck(check, context);
    expect(rendered).toMatchObject({
      url: 'https://production.shop.example/version?d=sha256:abc',
      headers: { 'x-promotion': 'p-1' },
      body: '2.0.0',
      expectBody: { contains: '2.0.0' },
    });
    const regex = parseCheck({ kind: 'http', url: 'http://a', expectBody: { regex: '^{{version}}$' } });
    expect(renderCheck(regex, context)).toEqual(regex);
    expect(check.kind === 'http' && check.url).toBe('https://{{phase}}.shop.example/version?d={{digest}}');
  });
});
