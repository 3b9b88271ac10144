import { describe, expect, it } from 'vitest';
import { BufferedResponse } from './registry-response.js';

describe('BufferedResponse', () => {
  it('GIVEN an answer read whole WHEN its headers and body are read THEN they read as a fetch Response would', async () => {
    const res = new BufferedResponse(
      200,
      'OK',
      ['Docker-Content-Digest', 'sha256:abc', 'Link', '<a>; rel="next"', 'link', '<b>'],
      Buffer.from('{"tags":["1.0"]}'),
    );
    expect(res.ok).toBe(true);
    expect(res.headers.get('docker-content-digest')).toBe('sha256:abc');
    expect(res.headers.get('LINK')).toBe('<a>; rel="next", <b>');
    expect(res.headers.get('etag')).toBeNull();
    expect(res.bodyUsed).toBe(false);
    expect(await res.json()).toEqual({ tags: ['1.0'] });
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(TypeError);
  });

  it('GIVEN a 404 or an answer without a body WHEN read THEN ok is false and there is nothing to cancel or an empty body', async () => {
    const missing = new BufferedResponse(404, 'Not Found', [], Buffer.from('{"errors":[]}'));
    expect(missing.ok).toBe(false);
    await missing.body?.cancel();
    const empty = new BufferedResponse(304, 'Not Modified', [], undefined);
    expect(empty.body).toBeNull();
    expect(new Uint8Array(await empty.arrayBuffer())).toHaveLength(0);
  });
});
