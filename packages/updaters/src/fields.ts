import { CUE, HCL, type Token, tokenize } from './tokens.js';

/** A value found by its place: `path` is block type and labels then keys (HCL), or labels (CUE). */
export interface Field {
  readonly path: readonly string[];
  /** The value when it is a plain string literal; absent for expressions, numbers, lists… */
  readonly string?: Token;
  /** The value's first token, for error messages. */
  readonly first?: Token;
}

const label = (t: Token): string => (t.kind === 'string' ? (JSON.parse(t.text) as string) : t.text);

/**
 * The attributes of an HCL file, with their places: `module "vpc" { version = "…" }` is
 * `["module", "vpc", "version"]`; `images = { app = "…" }` in a `.tfvars` file is
 * `["images", "app"]`.
 */
export function hclFields(src: string): Field[] {
  const t = tokenize(src, HCL);
  const out: Field[] = [];
  let i = 0;
  const skipNl = () => {
    while (t[i]?.kind === 'newline' || t[i]?.text === ',') i += 1;
  };
  function body(path: string[], close: string | undefined): void {
    for (;;) {
      skipNl();
      const tok = t[i];
      if (!tok) return;
      if (close !== undefined && tok.text === close) {
        i += 1;
        return;
      }
      if (tok.kind !== 'ident' && tok.kind !== 'string') {
        skipLine();
        continue;
      }
      const next = t[i + 1];
      if (next?.text === '=' || next?.text === ':') {
        i += 2;
        value([...path, label(tok)]);
        continue;
      }
      // a block: type, labels, then its body
      const labels = [tok.text];
      i += 1;
      while (t[i]?.kind === 'ident' || t[i]?.kind === 'string') {
        labels.push(label(t[i] as Token));
        i += 1;
      }
      if (t[i]?.text !== '{') {
        skipLine();
        continue;
      }
      i += 1;
      body([...path, ...labels], '}');
    }
  }
  function value(path: string[]): void {
    const tok = t[i];
    if (!tok) return;
    if (tok.text === '{') {
      i += 1;
      body(path, '}');
      return;
    }
    const after = t[i + 1];
    const ends = !after || after.kind === 'newline' || after.text === ',' || after.text === '}';
    if (tok.kind === 'string' && ends) {
      out.push({ path, string: tok, first: tok });
      i += 1;
      return;
    }
    out.push({ path, first: tok });
    skipExpression();
  }
  function skipExpression(): void {
    let depth = 0;
    while (i < t.length) {
      const tok = t[i] as Token;
      if (depth === 0 && (tok.kind === 'newline' || tok.text === ',' || tok.text === '}')) return;
      if ('{[('.includes(tok.text) && tok.kind === 'punct') depth += 1;
      if ('}])'.includes(tok.text) && tok.kind === 'punct') depth -= 1;
      i += 1;
    }
  }
  function skipLine(): void {
    while (i < t.length && t[i]?.kind !== 'newline') {
      if (t[i]?.text === '{') {
        i += 1;
        body(['(skipped)'], '}');
      } else i += 1;
    }
  }
  body([], undefined);
  return out;
}

/**
 * The fields of a CUE file (a Timoni bundle, say) with their label paths: `a: b: "x"` and
 * `a: { b: "x" }` are both `["a", "b"]`. A field declared twice (CUE unifies them) is
 * listed twice.
 */
export function cueFields(src: string): Field[] {
  const t = tokenize(src, CUE);
  const out: Field[] = [];
  let i = 0;
  const isLabel = (tok: Token | undefined) => tok?.kind === 'ident' || tok?.kind === 'string';
  function struct(path: string[], close: string | undefined): void {
    for (;;) {
      while (t[i]?.kind === 'newline' || t[i]?.text === ',') i += 1;
      const tok = t[i];
      if (!tok) return;
      if (close !== undefined && tok.text === close) {
        i += 1;
        return;
      }
      if (tok.text === '{') {
        // an embedded struct: same path
        i += 1;
        struct(path, '}');
        continue;
      }
      if (isLabel(tok)) {
        let j = i + 1;
        if (t[j]?.kind === 'other' && (t[j]?.text === '?' || t[j]?.text === '!')) j += 1;
        if (t[j]?.text === ':') {
          i = j + 1;
          value([...path, label(tok)]);
          continue;
        }
      }
      skipExpression();
    }
  }
  function value(path: string[]): void {
    const tok = t[i];
    if (!tok) return;
    if (tok.text === '{') {
      i += 1;
      struct(path, '}');
      return;
    }
    // `a: b: c: …`: the label chain goes on
    if (isLabel(tok)) {
      let j = i + 1;
      if (t[j]?.kind === 'other' && (t[j]?.text === '?' || t[j]?.text === '!')) j += 1;
      if (t[j]?.text === ':') {
        i = j + 1;
        value([...path, label(tok)]);
        return;
      }
    }
    const after = t[i + 1];
    const ends = !after || after.kind === 'newline' || after.text === ',' || after.text === '}';
    if (tok.kind === 'string' && ends) {
      out.push({ path, string: tok, first: tok });
      i += 1;
      return;
    }
    out.push({ path, first: tok });
    skipExpression();
  }
  function skipExpression(): void {
    let depth = 0;
    while (i < t.length) {
      const tok = t[i] as Token;
      if (depth === 0 && (tok.kind === 'newline' || tok.text === ',' || tok.text === '}')) return;
      if (tok.kind === 'punct' && '{[('.includes(tok.text)) depth += 1;
      if (tok.kind === 'punct' && '}])'.includes(tok.text)) depth -= 1;
      i += 1;
    }
  }
  struct([], undefined);
  return out;
}
