import picomatch from 'picomatch';
import { z } from 'zod';

/**
 * A name pattern in a gate (branches, committer emails), one of:
 * - `/regex/flags`: a regular expression (flags `i`, `m`, `s`, `u`), tested anywhere
 *   unless anchored;
 * - a glob (`release/*`, `*@example.com`, `hotfix/**`), matched whole by picomatch: `*`
 *   stops at `/`, `**` does not;
 * - anything else: the exact text.
 */
export interface Matcher {
  readonly pattern: string;
  test(value: string): boolean;
}

export type Compiled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const REGEX_LITERAL = /^\/(.+)\/([a-z]*)$/s;
const GLOB = /[*?[\]{}()!]/;
const ALLOWED_FLAGS = /^[imsu]*$/;

/**
 * Compiles `text` as a regular expression: `/source/flags`, or the bare source. Flags `g`
 * and `y` are refused: they make `test` remember where it stopped.
 */
export function compileRegex(text: string, caseInsensitive = false): Compiled<RegExp> {
  const literal = REGEX_LITERAL.exec(text);
  const source = literal ? (literal[1] as string) : text;
  let flags = literal ? (literal[2] as string) : '';
  if (!ALLOWED_FLAGS.test(flags))
    return { ok: false, message: `flags "${flags}" are not allowed here (use i, m, s, u)` };
  if (caseInsensitive && !flags.includes('i')) flags += 'i';
  try {
    return { ok: true, value: new RegExp(source, flags) };
  } catch (e) {
    return { ok: false, message: `not a valid regular expression: ${(e as SyntaxError).message}` };
  }
}

/** Compiles a name pattern (see `Matcher`); emails compare without case. */
export function compilePattern(text: string, options: { readonly caseInsensitive?: boolean } = {}): Compiled<Matcher> {
  const nocase = options.caseInsensitive ?? false;
  if (REGEX_LITERAL.test(text)) {
    const re = compileRegex(text, nocase);
    return re.ok ? { ok: true, value: { pattern: text, test: (v) => re.value.test(v) } } : re;
  }
  if (GLOB.test(text)) {
    try {
      const re = picomatch.makeRe(text, { nocase, dot: true });
      return { ok: true, value: { pattern: text, test: (v) => re.test(v) } };
    } catch (e) {
      return { ok: false, message: `not a valid glob: ${(e as Error).message}` };
    }
  }
  const exact = nocase ? text.toLowerCase() : text;
  return {
    ok: true,
    value: { pattern: text, test: nocase ? (v) => v.toLowerCase() === exact : (v) => v === exact },
  };
}

/** One pattern or a list of them in YAML (`branches: main` or `branches: [main, release/*]`). */
export const patternListSchema = z
  .union([z.string().trim().min(1), z.array(z.string().trim().min(1)).min(1)])
  .transform((v) => (typeof v === 'string' ? [v] : v));
