/**
 * A small tokenizer for HCL (Terraform, OpenTofu) and CUE (Timoni): just enough to find a
 * string value by its place and splice it, with exact offsets. Comments, heredocs and
 * multi-line strings are skipped as whole tokens so nothing inside them is ever taken for
 * structure. No npm parser for either language gives source positions (see docs/terraform.md).
 */
export type TokenKind = 'ident' | 'string' | 'punct' | 'newline' | 'other';

export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  /** For punctuation and identifiers, the text. */
  readonly text: string;
  /** For strings: interpolation (`${…}` in HCL, `\(…)` in CUE) makes a value an expression. */
  readonly interpolated?: boolean;
}

export interface Dialect {
  readonly hashComments: boolean;
  readonly blockComments: boolean;
  readonly heredocs: boolean;
  readonly tripleQuotes: boolean;
}

export const HCL: Dialect = { hashComments: true, blockComments: true, heredocs: true, tripleQuotes: false };
export const CUE: Dialect = { hashComments: false, blockComments: false, heredocs: false, tripleQuotes: true };

const IDENT = /[A-Za-z_$#][A-Za-z0-9_$#-]*/y;

export class TokenError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function tokenize(src: string, d: Dialect): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i] as string;
    if (c === '\n') {
      out.push({ kind: 'newline', start: i, end: i + 1, text: '\n' });
      i += 1;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i += 1;
    } else if ((c === '/' && src[i + 1] === '/') || (d.hashComments && c === '#')) {
      while (i < n && src[i] !== '\n') i += 1;
    } else if (d.blockComments && c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new TokenError('a /* comment that never ends', i);
      i = end + 2;
    } else if (d.tripleQuotes && src.startsWith('"""', i)) {
      const end = src.indexOf('"""', i + 3);
      if (end < 0) throw new TokenError('a """ string that never ends', i);
      out.push({ kind: 'other', start: i, end: end + 3, text: '"""' });
      i = end + 3;
    } else if (c === '"') {
      let j = i + 1;
      let interpolated = false;
      while (j < n && src[j] !== '"') {
        if (src[j] === '\n') throw new TokenError('a string that runs past the end of its line', i);
        if (src[j] === '\\') {
          if (src[j + 1] === '(') interpolated = true;
          j += 2;
          continue;
        }
        if (src[j] === '$' && src[j + 1] === '{') interpolated = true;
        if (src[j] === '%' && src[j + 1] === '{') interpolated = true;
        j += 1;
      }
      if (j >= n) throw new TokenError('a string that never ends', i);
      out.push({ kind: 'string', start: i, end: j + 1, text: src.slice(i, j + 1), interpolated });
      i = j + 1;
    } else if (d.heredocs && c === '<' && src[i + 1] === '<') {
      const m = /<<-?([A-Za-z_][A-Za-z0-9_]*)\r?\n/y;
      m.lastIndex = i;
      const h = m.exec(src);
      if (!h) {
        out.push({ kind: 'punct', start: i, end: i + 2, text: '<<' });
        i += 2;
        continue;
      }
      const close = new RegExp(`^[ \\t]*${h[1]}[ \\t]*$`, 'm');
      const rest = src.slice(m.lastIndex);
      const found = close.exec(rest);
      if (!found) throw new TokenError(`a heredoc <<${h[1]} that never ends`, i);
      const end = m.lastIndex + found.index + found[0].length;
      out.push({ kind: 'other', start: i, end, text: '<<' });
      i = end;
    } else if ('{}[]()=:,'.includes(c)) {
      out.push({ kind: 'punct', start: i, end: i + 1, text: c });
      i += 1;
    } else {
      IDENT.lastIndex = i;
      const m = IDENT.exec(src);
      if (m) {
        out.push({ kind: 'ident', start: i, end: i + m[0].length, text: m[0] });
        i += m[0].length;
      } else {
        // numbers, operators, dots: one token each run, never structure
        let j = i + 1;
        while (j < n && !/[\s{}[\]()=:,"#/]/.test(src[j] as string)) j += 1;
        out.push({ kind: 'other', start: i, end: j, text: src.slice(i, j) });
        i = j;
      }
    }
  }
  return out;
}
