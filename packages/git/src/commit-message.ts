import type { Revision } from '@gantry/core';

const TRAILER_KEY = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/**
 * `message` + blank line + one `Key: value` line per trailer, as `git interpret-trailers`
 * reads them back. Values are kept on one line; a key git would not accept is refused.
 */
export function formatCommitMessage(message: string, trailers: Readonly<Record<string, string>>): string {
  const body = message.replace(/\s+$/, '');
  const lines = Object.entries(trailers).map(([k, v]) => {
    if (!TRAILER_KEY.test(k)) throw new RangeError(`invalid commit trailer key "${k}"`);
    return `${k}: ${v.replace(/\s*\n\s*/g, ' ').trim()}`;
  });
  if (lines.length === 0) return `${body}\n`;
  return `${body === '' ? '' : `${body}\n\n`}${lines.join('\n')}\n`;
}

/** `git log` format for one commit record; see `parseLogRecords`. */
export const LOG_FORMAT = '%x1e%H%x00%an%x00%ae%x00%at%x00%(trailers:unfold,separator=%x1f)%x00%B%x00';

/** `LOG_FORMAT` with git's `%m` mark (`-` for a boundary commit) first in each record. */
export const MARKED_LOG_FORMAT = `%x1e%m${LOG_FORMAT.slice('%x1e'.length)}`;

/** One commit as `git log --format=LOG_FORMAT [--name-only]` printed it. */
export interface LogRecord {
  readonly revision: Revision;
  /** With `--name-only`: the paths the commit changed. */
  readonly paths: readonly string[];
}

/** Parses `Key: value` lines (what `%(trailers:unfold,separator=%x1f)` prints). */
export function parseTrailerList(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.replaceAll('\x1f', '\n').split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/** The message without its final trailer paragraph, when git recognised one. */
function stripTrailers(body: string, trailers: Readonly<Record<string, string>>): string {
  const text = body.replace(/\s+$/, '');
  if (Object.keys(trailers).length === 0) return text;
  const cut = text.lastIndexOf('\n\n');
  const last = cut < 0 ? text : text.slice(cut + 2);
  const isTrailers = last.split('\n').every((l) => /^[A-Za-z0-9-]+:\s/.test(l) || /^\s/.test(l));
  return isTrailers ? (cut < 0 ? '' : text.slice(0, cut)) : text;
}

export function parseLogRecords(output: string): LogRecord[] {
  const records: LogRecord[] = [];
  for (const chunk of output.split('\x1e')) {
    if (chunk.trim() === '') continue;
    const [id, name, email, time, trailerText, body, rest] = chunk.split('\0');
    if (!id || body === undefined) continue;
    const trailers = parseTrailerList(trailerText ?? '');
    records.push({
      revision: {
        id,
        time: new Date(Number(time) * 1000),
        author: `${name ?? ''} <${email ?? ''}>`,
        message: stripTrailers(body, trailers),
        trailers,
      },
      paths: (rest ?? '').split('\n').filter((p) => p.length > 0),
    });
  }
  return records;
}
