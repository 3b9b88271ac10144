import { describe, expect, it } from 'vitest';
import { tailBuffer } from './tail-buffer.js';

describe('tail buffer', () => {
  it('GIVEN less than the limit WHEN read THEN everything is kept, not truncated', () => {
    const b = tailBuffer(16);
    b.append('hello ');
    b.append(Buffer.from('world'));
    expect(b.text()).toBe('hello world');
    expect(b.truncated()).toBe(false);
  });

  it('GIVEN more than the limit in many chunks WHEN read THEN the last bytes are kept, marked truncated', () => {
    const b = tailBuffer(10);
    for (let i = 0; i < 100; i++) b.append(`line ${i}\n`);
    expect(b.text()).toBe('8\nline 99\n');
    expect(b.truncated()).toBe(true);
  });

  it('GIVEN a cut inside a multi-byte character WHEN read THEN the broken character is dropped', () => {
    const b = tailBuffer(5);
    b.append('aaaé€'); // é is 2 bytes, € is 3: the last 5 bytes are é€, the last 4 start inside é
    expect(b.text()).toBe('é€');
    const c = tailBuffer(4);
    c.append('aaaé€');
    expect(c.text()).toBe('€');
  });
});
