import { describe, expect, it } from 'vitest';
import { registryConfigSchema } from './config.js';

describe('registryConfigSchema', () => {
  it('GIVEN a remote registry with basic auth and a text timeout WHEN parsed THEN the timeout is a Duration', () => {
    expect(
      registryConfigSchema.parse({ url: 'https://ghcr.io', auth: { username: 'u', password: 'p' }, timeout: '5s' }),
    ).toEqual({ url: 'https://ghcr.io', auth: { username: 'u', password: 'p' }, timeout: { ms: 5000 } });
  });

  it('GIVEN a layout registry WHEN parsed THEN it is kept as is', () => {
    expect(registryConfigSchema.parse({ layout: './registry', host: 'localhost/sandbox' })).toEqual({
      layout: './registry',
      host: 'localhost/sandbox',
    });
  });

  it.each([
    [{ url: 'http://user:secret@r.example' }, 'url'],
    [{ url: 'ftp://r.example' }, 'url'],
    [{ url: 'https://r.example', auth: { username: 'u', pasword: 'typo' } }, 'auth'],
    [{ url: 'https://r.example', timeout: 'soon' }, 'timeout'],
    [{ url: 'https://r.example', layout: '/x' }, ''],
  ])('GIVEN %o WHEN parsed THEN it is rejected at %s, without echoing secrets', (input, path) => {
    const result = registryConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    const text = JSON.stringify(result.error?.issues);
    expect(text).not.toContain('secret');
    if (path) expect(text).toContain(path);
  });
});
