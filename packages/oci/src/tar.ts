/**
 * A minimal ustar archive of regular files, enough for a valid image layer. Paths are
 * relative (`app/version.txt`), at most 100 bytes; modes 0644, owner root.
 */
export function tarFiles(files: Readonly<Record<string, string | Uint8Array>>, mtime: Date): Uint8Array {
  const blocks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const seconds = Math.max(0, Math.floor(mtime.getTime() / 1000));
  for (const [path, content] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const name = encoder.encode(path.replace(/^\/+/, ''));
    if (name.byteLength === 0 || name.byteLength > 100) throw new RangeError(`tar: path "${path}" must be 1-100 bytes`);
    const data = typeof content === 'string' ? encoder.encode(content) : content;
    const header = new Uint8Array(512);
    const put = (text: string, offset: number) => header.set(encoder.encode(text), offset);
    const octal = (n: number, width: number) => `${n.toString(8).padStart(width - 1, '0')}\0`;
    header.set(name, 0);
    put(octal(0o644, 8), 100);
    put(octal(0, 8), 108);
    put(octal(0, 8), 116);
    put(octal(data.byteLength, 12), 124);
    put(octal(seconds, 12), 136);
    put('        ', 148);
    put('0', 156);
    put('ustar\u000000', 257);
    const checksum = header.reduce((sum, b) => sum + b, 0);
    put(`${checksum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, data, new Uint8Array((512 - (data.byteLength % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.byteLength;
  }
  return out;
}
