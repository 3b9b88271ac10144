import { describe, expect, it } from 'vitest';
import { readSse } from './sse.js';

const stream = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const ch of chunks) c.enqueue(new TextEncoder().encode(ch));
      c.close();
    },
  });

describe('readSse', () => {
  it('GIVEN messages split across chunks, comments and multi-line data THEN whole messages come out', async () => {
    const out = [];
    for await (const m of readSse(
      stream('event: pro', 'motion\ndata: {"a":1}\nid: 7\n\n: keep-alive\n\n', 'data: x\ndata: y\n\n'),
    )) {
      out.push(m);
    }
    expect(out).toEqual([
      { event: 'promotion', data: '{"a":1}', id: '7' },
      { event: 'message', data: 'x\ny', id: '7' },
    ]);
  });
});
