import { ValidationError } from '@gantry/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkSchema, checksSchema, parseCheck, parseChecks } from './check-schema.js';

describe('check definitions', () => {
  it('GIVEN a minimal HTTP check WHEN parsed THEN the defaults are filled in and the name derives from method and URL', () => {
    expect(parseCheck({ kind: 'http', url: 'https://shop.example/healthz' })).toEqual({
      kind: 'http',
      name: 'http GET https://shop.example/healthz',
      url: 'https://shop.example/healthz',
      method: 'GET',
      headers: {},
      expectStatus: [{ min: 200, max: 299 }],
      followRedirects: true,
      retries: 2,
      interval: { ms: 5000 },
      timeout: { ms: 10_000 },
    });
  });

  it('GIVEN statuses as a code, a range, a class and a list WHEN parsed THEN each becomes ranges', () => {
    const status = (expectStatus: unknown) =>
      (parseCheck({ kind: 'http', url: 'http://a', expectStatus }) as { expectStatus: unknown }).expectStatus;
    expect(status(204)).toEqual([{ min: 204, max: 204 }]);
    expect(status('200-399')).toEqual([{ min: 200, max: 399 }]);
    expect(status('3xx')).toEqual([{ min: 300, max: 399 }]);
    expect(status(['2xx', 404])).toEqual([
      { min: 200, max: 299 },
      { min: 404, max: 404 },
    ]);
    expect(() => status('299-200')).toThrow(ValidationError);
    expect(() => status(99)).toThrow(ValidationError);
  });

  it('GIVEN a body expectation as a string WHEN parsed THEN it is a substring match; a bad regex is refused', () => {
    const c = parseCheck({ kind: 'http', url: 'http://a', expectBody: 'ok' });
    expect(c.kind === 'http' && c.expectBody).toEqual({ contains: 'ok' });
    expect(() => parseCheck({ kind: 'http', url: 'http://a', expectBody: { regex: '(' } })).toThrow(
      /expectBody.*not a valid regular expression/,
    );
  });

  it('GIVEN a Prometheus check with a text bound WHEN parsed THEN the bound is structured and empty results fail', () => {
    const c = parseCheck({
      kind: 'prometheus',
      server: 'http://prometheus:9090',
      query: 'sum(rate(http_errors_total[5m]))',
      expect: '< 0.01',
      interval: '30s',
    });
    expect(c).toMatchObject({
      name: 'prometheus sum(rate(http_errors_total[5m]))',
      expect: { op: '<', value: 0.01 },
      onEmpty: 'fail',
      interval: { ms: 30_000 },
      timeout: { ms: 10_000 },
    });
  });

  it('GIVEN a command check WHEN parsed THEN argv or shell is required, not both', () => {
    expect(parseCheck({ kind: 'command', argv: ['npm', 'run', 'smoke'] })).toMatchObject({
      name: 'command npm run smoke',
      timeout: { ms: 300_000 },
      killAfter: { ms: 5000 },
      env: {},
    });
    expect(parseCheck({ kind: 'command', shell: './smoke.sh  --fast' }).name).toBe('command ./smoke.sh --fast');
    expect(() => parseCheck({ kind: 'command' })).toThrow(/argv.*either argv/);
    expect(() => parseCheck({ kind: 'command', argv: ['a'], shell: 'a' })).toThrow(/either argv/);
  });

  it('GIVEN durations as text or as values WHEN parsed THEN both give a Duration', () => {
    const text = parseCheck({ kind: 'command', shell: 'x', timeout: '1m30s' });
    const value = parseCheck({ kind: 'command', shell: 'x', timeout: { ms: 90_000 } });
    expect(text.kind === 'command' && text.timeout).toEqual({ ms: 90_000 });
    expect(value.kind === 'command' && value.timeout).toEqual({ ms: 90_000 });
    expect(() => parseCheck({ kind: 'command', shell: 'x', timeout: '5 minutes' })).toThrow(
      /\[timeout\] a duration such as 500ms/,
    );
  });

  it('GIVEN several mistakes WHEN parsed THEN every field is named, under the given path', () => {
    try {
      parseCheck({ kind: 'prometheus', server: 'ftp://x', query: '', expect: '~ 1', extra: true }, ['checks', 0]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const paths = (e as ValidationError).issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['checks.0.server', 'checks.0.query', 'checks.0.expect']));
      expect((e as ValidationError).message).toContain('a comparison such as "< 0.01"');
    }
    expect(() => parseCheck({ kind: 'ssh' })).toThrow(/\[kind\]/);
  });

  it('GIVEN two checks with the same name WHEN a phase is parsed THEN the second is refused', () => {
    const twice = { kind: 'http', url: 'http://app/healthz' };
    expect(() => parseChecks([twice, twice])).toThrow(
      /\[1\.name\] check name "http GET http:\/\/app\/healthz" is already used/,
    );
    expect(parseChecks([twice, { ...twice, name: 'again' }]).map((c) => c.name)).toEqual([
      'http GET http://app/healthz',
      'again',
    ]);
  });

  it('GIVEN the schema WHEN exported as JSON schema for gantry.yaml THEN inputs (not parsed values) are described', () => {
    const json = JSON.stringify(z.toJSONSchema(checksSchema, { io: 'input' }));
    expect(json).toContain('"default":"5s"');
    expect(json).toContain('"const":"prometheus"');
    expect(checkSchema.safeParse({ kind: 'http', url: 'http://a' }).success).toBe(true);
  });
});
