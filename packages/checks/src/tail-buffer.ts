/** How much output a result keeps by default: the last 64 KiB. */
export const DEFAULT_OUTPUT_LIMIT = 64 * 1024;

/** The last `limit` bytes of a stream of output. */
export interface TailBuffer {
  append(chunk: Buffer | string): void;
  /** The kept bytes as UTF-8 (a character cut at the start is dropped). */
  text(): string;
  /** Whether earlier output was dropped. */
  truncated(): boolean;
}

export function tailBuffer(limit = DEFAULT_OUTPUT_LIMIT): TailBuffer {
  let chunks: Buffer[] = [];
  let size = 0;
  let dropped = false;
  const compact = () => {
    if (size <= limit) return;
    const all = Buffer.concat(chunks);
    let start = all.length - limit;
    // do not start inside a multi-byte character
    while (start < all.length && ((all[start] ?? 0) & 0xc0) === 0x80) start++;
    chunks = [all.subarray(start)];
    size = all.length - start;
    dropped = true;
  };
  return {
    append(chunk) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      chunks.push(b);
      size += b.length;
      // compact lazily: at most twice the limit is held
      if (size > 2 * limit) compact();
    },
    text() {
      compact();
      return Buffer.concat(chunks).toString('utf8');
    },
    truncated() {
      compact();
      return dropped;
    },
  };
}
