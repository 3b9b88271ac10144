import type { FileUpdater, GitCommit, HelmChart } from '@gantry/core';
import { lineIndex } from './document.js';
import { listed, updaterError } from './fail.js';
import { type Field, hclFields } from './fields.js';
import type { Slot } from './slot.js';
import { textSlot } from './text-slot.js';
import { TokenError } from './tokens.js';
import { type ValueOptions, type ValueUpdater, valueUpdater } from './value-codec.js';
import { applyEdits } from './splice.js';
import { isTemplate, type VersionCheck } from './version-text.js';
import { readChartVersion } from './yaml-path.js';

function parse(content: string, file: string, path: string): Field[] {
  try {
    return hclFields(content);
  } catch (e) {
    if (!(e instanceof TokenError)) throw e;
    throw updaterError({ file, path, line: lineIndex(content)(e.offset) }, `not valid HCL: ${e.message}`);
  }
}

/** The string literal of a field as a slot; an expression or an interpolated string is an error. */
function stringSlot(content: string, file: string, f: Field, path: string): Slot {
  const lineOf = lineIndex(content);
  const where = { file, path, line: lineOf(f.first?.start ?? 0) };
  const s = f.string;
  if (!s) {
    const eol = f.first ? content.indexOf('\n', f.first.start) : -1;
    const text = f.first ? content.slice(f.first.start, eol < 0 ? undefined : eol).trim() : '';
    throw updaterError(where, `${path} is the expression ${text || '(empty)'}, not a string Gantry can write`);
  }
  if (s.interpolated || isTemplate(s.text)) {
    throw updaterError(where, `${s.text} is a template (interpolation), not a value Gantry can write`);
  }
  return textSlot(content, s.start, s.end, 'string', where);
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The fields at `path`, or an error naming what is there instead. */
function at(
  content: string,
  file: string,
  path: readonly string[],
  describe: string,
): { fields: Field[]; all: Field[] } {
  const all = parse(content, file, describe);
  const fields = all.filter((f) => same(f.path, path));
  if (fields.length > 0) return { fields, all };
  const parent = path.slice(0, -1);
  const siblings = all
    .filter((f) => same(f.path.slice(0, parent.length), parent))
    .map((f) => f.path.slice(parent.length).join('.'));
  const line = all.find((f) => same(f.path.slice(0, parent.length), parent))?.first?.start;
  throw updaterError(
    { file, path: describe, line: line === undefined ? 1 : lineIndex(content)(line), found: [...new Set(siblings)] },
    parent.length === 0
      ? `no ${path.join('.')}; top-level values there: ${listed([...new Set(siblings)])}`
      : `no ${path[path.length - 1]} in ${describe.replace(/ [^ ]+$/, '')}; there: ${listed([...new Set(siblings)])}`,
  );
}

export interface TerraformModuleOptions extends VersionCheck {
  /** The module block's label: `module "vpc" { … }`. */
  readonly module: string;
  /**
   * `version` (default): the registry module's `version = "…"`; `ref`: the `?ref=` of a Git
   * `source` (a tag, promoted as a version).
   */
  readonly field?: 'version' | 'ref';
}

const REF = /[?&]ref=([^&"]*)/;

function refSlot(content: string, file: string, module: string): { slot: Slot; found: boolean } {
  const describe = `module "${module}" source`;
  const { fields } = at(content, file, ['module', module, 'source'], describe);
  const source = stringSlot(content, file, fields[0] as Field, describe);
  const s = (fields[0] as Field).string as NonNullable<Field['string']>;
  const m = REF.exec(s.text);
  if (!m || m.index === undefined) {
    throw updaterError(
      source.where,
      `the source ${s.text} has no ?ref= to write (a registry module? use field: version)`,
    );
  }
  const start = s.start + m.index + m[0].length - (m[1]?.length ?? 0);
  return { slot: textSlot(content, start, start + (m[1]?.length ?? 0), 'raw', source.where), found: true };
}

/**
 * A Terraform/OpenTofu module's version, edited in place: `version = "5.1.2"` in a
 * `module "<name>"` block, or the `?ref=v1.2.0` of its Git `source`. Constraints
 * (`~> 5.1`, `>= 5.0`) are ranges: an error unless `holdsRanges`.
 */
export function terraformModule(options: TerraformModuleOptions): FileUpdater<HelmChart> {
  const field = options.field ?? 'version';
  const slot = (content: string, file: string): Slot => {
    if (field === 'ref') return refSlot(content, file, options.module).slot;
    const describe = `module "${options.module}" version`;
    const { fields } = at(content, file, ['module', options.module, 'version'], describe);
    return stringSlot(content, file, fields[0] as Field, describe);
  };
  return {
    describe: () => `terraform module ${options.module} ${field}`,
    read: (content, file) => readChartVersion(slot(content, file), options.module, options),
    write: (content, chart, file) => applyEdits(content, [slot(content, file).set(chart.version)]),
  };
}

/** A module whose Git `source` is pinned to a commit: `?ref=<sha>`. */
export function terraformModuleCommit(options: { readonly module: string }): FileUpdater<GitCommit> {
  return valueUpdater({ value: 'commit' }, `terraform module ${options.module} ref`, (content, file) => [
    refSlot(content, file, options.module).slot,
  ]);
}

export type TerraformVariableOptions = ValueOptions & {
  /** The variable's name in the `.tfvars` file; `images.app` for a key of a map value. */
  readonly variable: string;
};

/** A variable of a `.tfvars` (or `.tf` locals-free) file: `app_image = "…"`, edited in place. */
export function terraformVariable<O extends TerraformVariableOptions>(options: O): ValueUpdater<O> {
  const path = options.variable.split('.');
  return valueUpdater(options, `terraform variable ${options.variable}`, (content, file) =>
    at(content, file, path, options.variable).fields.map((f) => stringSlot(content, file, f, options.variable)),
  );
}
