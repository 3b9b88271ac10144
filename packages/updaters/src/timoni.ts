import { lineIndex } from './document.js';
import { listed, updaterError } from './fail.js';
import { cueFields, type Field } from './fields.js';
import { textSlot } from './text-slot.js';
import { TokenError } from './tokens.js';
import { type ValueOptions, type ValueUpdater, valueUpdater } from './value-codec.js';
import { isTemplate } from './version-text.js';

export type CueFieldOptions = ValueOptions & {
  /**
   * The field's labels, dotted: `bundle.instances.podinfo.module.version`,
   * `bundle.instances.podinfo.values.image.tag`. `a: b: "x"` and `a: { b: "x" }` are the same.
   */
  readonly path: string;
};

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * A string field of a CUE file, edited in place: a Timoni bundle's module version or one of
 * its instance values. Every declaration of the field is written (CUE unifies them, so they
 * must stay equal); a field that is an expression or interpolates is an error naming it.
 */
export function cueField<O extends CueFieldOptions>(options: O): ValueUpdater<O> {
  const path = options.path.split('.');
  return valueUpdater(options, `cue ${options.path}`, (content, file) => {
    const lineOf = lineIndex(content);
    let all: Field[];
    try {
      all = cueFields(content);
    } catch (e) {
      if (!(e instanceof TokenError)) throw e;
      throw updaterError({ file, path: options.path, line: lineOf(e.offset) }, `not valid CUE: ${e.message}`);
    }
    const fields = all.filter((f) => same(f.path, path));
    if (fields.length === 0) {
      // the deepest place that exists, and what is there
      let depth = path.length - 1;
      while (depth > 0 && !all.some((f) => same(f.path.slice(0, depth), path.slice(0, depth)))) depth -= 1;
      const under = all.filter((f) => same(f.path.slice(0, depth), path.slice(0, depth)));
      const there = [...new Set(under.map((f) => f.path[depth] as string))];
      const at = path.slice(0, depth).join('.') || 'the top level';
      throw updaterError(
        { file, path: options.path, line: under[0]?.first ? lineOf(under[0].first.start) : 1, found: there },
        `no field "${path[depth]}" in ${at}; fields there: ${listed(there)}`,
      );
    }
    return fields.map((f) => {
      const where = { file, path: options.path, line: lineOf(f.first?.start ?? 0) };
      const s = f.string;
      if (!s)
        throw updaterError(where, `${options.path} is not a string literal (an expression, a number, a reference)`);
      if (s.interpolated || isTemplate(s.text)) {
        throw updaterError(where, `${s.text} interpolates, it is not a value Gantry can write`);
      }
      return textSlot(content, s.start, s.end, 'string', where);
    });
  });
}
