/**
 * What Gantry reads of a registry's answer. A fetch `Response` is one; so is the lighter
 * `BufferedResponse` that reads (GET, HEAD) through Node's agent make: building a fetch
 * Response and its Headers for each of a fleet's 10,000 manifests cost about a second.
 */
export interface RegistryResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  /** `null` when there is none; cancelling it lets the connection go back to its pool. */
  readonly body: { cancel(): Promise<void> } | null;
  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/** An answer already read whole: its headers as the wire gave them (`rawHeaders`), its body in memory. */
export class BufferedResponse implements RegistryResponse {
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  readonly body: { cancel(): Promise<void> } | null;
  private used = false;

  constructor(
    readonly status: number,
    readonly statusText: string,
    rawHeaders: readonly string[],
    private readonly bytes: Buffer | undefined,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = {
      // as fetch's Headers: names without case, repeated fields joined with ", "
      get(name) {
        const wanted = name.toLowerCase();
        let value: string | null = null;
        for (let i = 0; i + 1 < rawHeaders.length; i += 2)
          if ((rawHeaders[i] as string).toLowerCase() === wanted)
            value = value === null ? (rawHeaders[i + 1] as string) : `${value}, ${rawHeaders[i + 1]}`;
        return value;
      },
    };
    this.body = bytes === undefined ? null : { cancel: async () => undefined };
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  private take(): Buffer {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.bytes ?? Buffer.alloc(0);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.take();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return this.take().toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}
