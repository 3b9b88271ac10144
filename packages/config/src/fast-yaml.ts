/**
 * Reading gantry.yaml to plain data without the `yaml` library's document: that library keeps
 * every node with its place in the file, which is what an error message needs but costs ~9 s of
 * CPU at 10,000 pipelines (a 120,000-line file); js-yaml reads the same file to plain data in
 * ~1.5 s. The document is built only when there is a problem to place (see yaml-file.ts).
 *
 * The two must never read a file differently, so this path declines (undefined) whatever it
 * cannot vouch for, and the `yaml` library reads the file as before:
 * - scalars resolve by the `yaml` library's YAML 1.2 core schema, copied below (js-yaml's own
 *   core schema differs at the edges: `1e999`, a 400-digit integer);
 * - keys become strings as `yaml`'s toJS makes them (`~` -> '', 1 -> '1'); a collection as a
 *   key, or two keys that become the same string, decline;
 * - tags, anchors and aliases, directives (`%YAML 1.1` changes the schema), tabs, and lines
 *   over 1024 characters (yaml rejects an implicit key that long) decline before parsing: a
 *   cheap look at the text, which may decline more than it must (`"a *b"`);
 * - anything js-yaml rejects (syntax, duplicate keys, several documents, an empty file)
 *   declines, so that the `yaml` library reports it with its own messages and positions.
 */

/**
 * A tag (`!x`), anchor (`&a`) or alias (`*a`) where a node may start, a directive, a tab, or an
 * empty or explicit key (`: x`, `? x`) starting an entry, which js-yaml reads where yaml rejects.
 */
const DECLINED_SYNTAX = /(?:^|[\s[{,])[!&*]|^%|\t|(?:^|[[{,])[\s-]*[:?](?:\s|$)/m;

/** yaml's limit on an implicit key, which must fit on its line: no line that long, no such key. */
const MAX_KEY_LINE = 1024;

function hasLongLine(text: string): boolean {
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    if (stop - start > MAX_KEY_LINE) return true;
    start = stop + 1;
  }
  return false;
}

type JsYaml = typeof import('js-yaml');

/** The `yaml` library's core schema (yaml/dist/schema/core), as js-yaml tags. */
function coreSchema(y: JsYaml) {
  const { defineScalarTag, defineMappingTag } = y;
  const NOT_RESOLVED: JsYaml['NOT_RESOLVED'] = y.NOT_RESOLVED;
  const never = () => false;
  const nullTag = defineScalarTag<null>('tag:yaml.org,2002:null', {
    implicit: true,
    implicitFirstChars: ['', '~', 'n', 'N'],
    resolve: (s) => (/^(?:~|[Nn]ull|NULL)?$/.test(s) ? null : NOT_RESOLVED),
    identify: never,
  });
  const boolTag = defineScalarTag<boolean>('tag:yaml.org,2002:bool', {
    implicit: true,
    implicitFirstChars: ['t', 'T', 'f', 'F'],
    resolve: (s) => (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s) ? s[0] === 't' || s[0] === 'T' : NOT_RESOLVED),
    identify: never,
  });
  // yaml tries octal, decimal, hexadecimal, then the floats; the first whose pattern matches wins
  const intTag = defineScalarTag<number>('tag:yaml.org,2002:int', {
    implicit: true,
    implicitFirstChars: ['-', '+', ...'0123456789'],
    resolve: (s) => {
      if (/^0o[0-7]+$/.test(s)) return Number.parseInt(s.substring(2), 8);
      if (/^[-+]?[0-9]+$/.test(s)) return Number.parseInt(s, 10);
      if (/^0x[0-9a-fA-F]+$/.test(s)) return Number.parseInt(s.substring(2), 16);
      return NOT_RESOLVED;
    },
    identify: never,
  });
  const floatTag = defineScalarTag<number>('tag:yaml.org,2002:float', {
    implicit: true,
    implicitFirstChars: ['-', '+', '.', ...'0123456789'],
    resolve: (s) => {
      if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) {
        if (s.slice(-3).toLowerCase() === 'nan') return Number.NaN;
        return s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      }
      if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return Number.parseFloat(s);
      if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return Number.parseFloat(s);
      return NOT_RESOLVED;
    },
    identify: never,
  });
  const keyOf = (key: unknown): string | undefined =>
    key === null ? '' : typeof key === 'object' ? undefined : String(key);
  const mapTag = defineMappingTag<Record<string, unknown>>('tag:yaml.org,2002:map', {
    create: (): Record<string, unknown> => ({}),
    identify: never,
    represent: () => new Map(),
    addPair: (map, key, value) => {
      const k = keyOf(key);
      if (k === undefined) return 'a collection as a key';
      // `1` and `"1"` are two keys to yaml and one property here: let yaml say which wins
      if (Object.hasOwn(map, k)) return 'two keys read as the same string';
      if (k === '__proto__')
        Object.defineProperty(map, k, { value, enumerable: true, configurable: true, writable: true });
      else map[k] = value;
      return '';
    },
    has: (map, key) => {
      const k = keyOf(key);
      return k !== undefined && Object.hasOwn(map, k);
    },
    keys: (map) => Object.keys(map),
    get: (map, key) => map[keyOf(key) ?? ''] ?? null,
  });
  return new y.Schema([y.strTag, y.seqTag, mapTag, nullTag, boolTag, intTag, floatTag]);
}

let loaded: Promise<{ y: JsYaml; schema: ReturnType<typeof coreSchema> }> | undefined;

/** js-yaml and the schema, on first use: commands that read no gantry.yaml never load it. */
function jsYaml() {
  loaded ??= import('js-yaml').then((y) => ({ y, schema: coreSchema(y) }));
  return loaded;
}

/**
 * The plain data of a YAML text, exactly as the `yaml` library's `parseDocument(text).toJS()`
 * gives it, or undefined when this path cannot vouch for that (the caller then uses `yaml`).
 */
export async function fastYamlToJs(text: string): Promise<{ value: unknown } | undefined> {
  if (DECLINED_SYNTAX.test(text) || hasLongLine(text)) return undefined;
  const { y, schema } = await jsYaml();
  try {
    return { value: y.load(text, { schema, maxAliases: 0 }) };
  } catch {
    return undefined;
  }
}
