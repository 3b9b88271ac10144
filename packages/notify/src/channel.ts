import type { Duration } from '@gantry/core';
import type { ChannelType } from './config.js';
import type { NotificationEvent, NotificationEventType } from './event.js';
import type { NotificationLinks } from './links.js';

/** What one attempt needs besides the event. */
export interface AttemptContext {
  readonly idempotencyKey: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly links: NotificationLinks;
  readonly fetch: typeof fetch;
  /** When the attempt's time is up. */
  readonly signal: AbortSignal;
  readonly now: Date;
}

/** How one attempt went. */
export type AttemptOutcome =
  | { readonly kind: 'delivered'; readonly statusCode?: number }
  | {
      readonly kind: 'error';
      readonly statusCode?: number;
      readonly error: string;
      /** Worth another attempt: network errors, timeouts, 408, 429, 5xx. */
      readonly retryable: boolean;
      /** What the receiver asked for (`Retry-After`). */
      readonly retryAfter?: Duration;
    }
  /** The event does not apply to this channel (e.g. no source commit for a commit status). */
  | { readonly kind: 'skipped'; readonly reason: string };

/** A configured destination. Implementations never throw from `deliver`; the notifier guards anyway. */
export interface NotificationChannel {
  readonly name: string;
  readonly type: ChannelType;
  /** Whether the channel's filters take the event. */
  accepts(event: NotificationEvent): boolean;
  deliver(event: NotificationEvent, ctx: AttemptContext): Promise<AttemptOutcome>;
}

export interface ChannelFilters {
  readonly events?: readonly NotificationEventType[];
  readonly pipelines?: readonly string[];
  readonly phases?: readonly string[];
}

const glob = (pattern: string): RegExp =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** The filter predicate of a channel config; a left-out filter matches everything. */
export function filterOf(f: ChannelFilters): (event: NotificationEvent) => boolean {
  const pipelines = f.pipelines?.map(glob);
  const phases = f.phases?.map(glob);
  return (e) =>
    (!f.events || f.events.includes(e.type)) &&
    (!pipelines || pipelines.some((r) => r.test(e.pipeline))) &&
    (!phases || phases.some((r) => r.test(e.phase)));
}

/** `Retry-After`: delay-seconds or an HTTP date (RFC 9110 section 10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now: Date): Duration | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return { ms: Number(trimmed) * 1000 };
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : { ms: Math.max(0, at - now.getTime()) };
}

/** 2xx delivered; 408, 429 and 5xx worth retrying; any other status is final. */
export function httpOutcome(status: number, headers: Headers, bodyText: string, now: Date): AttemptOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', statusCode: status };
  const retryable = status === 408 || status === 429 || status >= 500;
  const retryAfter = retryable ? parseRetryAfter(headers.get('retry-after'), now) : undefined;
  const detail = bodyText.trim().slice(0, 300);
  const error =
    status >= 300 && status < 400
      ? `HTTP ${status}: redirected; configure the final URL`
      : `HTTP ${status}${detail ? `: ${detail}` : ''}`;
  return { kind: 'error', statusCode: status, error, retryable, ...(retryAfter ? { retryAfter } : {}) };
}

/** A thrown fetch error (refused, reset, timed out) as an outcome; never carries the URL, which may be secret. */
export function networkOutcome(e: unknown): AttemptOutcome {
  const err = e instanceof Error ? e : new Error(String(e));
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return { kind: 'error', error: 'timed out', retryable: true };
  }
  const cause = err.cause instanceof Error ? err.cause : undefined;
  const code = cause && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  return { kind: 'error', error: code ? `network error: ${code}` : `network error: ${err.message}`, retryable: true };
}

/** POSTs `body` and classifies the answer; redirects are not followed (a signed body stays where it was sent). */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  ctx: AttemptContext,
): Promise<AttemptOutcome> {
  try {
    const res = await ctx.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Gantry-Notify/1', ...headers },
      body,
      redirect: 'manual',
      signal: ctx.signal,
    });
    const text = await res.text().catch(() => '');
    return httpOutcome(res.status, res.headers, text, ctx.now);
  } catch (e) {
    return networkOutcome(e);
  }
}
