import type { Where } from './fail.js';
import { updaterError } from './fail.js';

/**
 * Text a tool would expand before it means anything: Helm/Go templates, shell or Terraform
 * interpolation, CUE interpolation. Never a version, whatever it expands to later.
 */
export function isTemplate(text: string): boolean {
  return /\{\{|\$\{|\\\(/.test(text);
}

/**
 * A version constraint rather than one version: comparison operators (`>=1.0.0`, `< 2`),
 * caret and tilde ranges (`^1.2`, `~1.2.3`), wildcards (`*`, `1.x`, `6.5.*`), hyphen
 * ranges (`1.2 - 1.4`) and alternatives (`1.x || 2.x`), as Helm, Flux, npm and Terraform
 * (`~> 1.2`) write them.
 */
export function isRange(text: string): boolean {
  const t = text.trim();
  if (t === '') return false;
  if (/^[<>=!~^*]/.test(t) || /\|\||,|\s-\s|\s/.test(t)) return true;
  // a wildcard component: 1.x, 1.2.X, 6.5.*
  return /(^|\.)[xX*](\.|$)/.test(t.replace(/^v/, '').split(/[-+]/)[0] ?? t);
}

export interface VersionCheck {
  /** The phase may hold a range: it is read as no version yet, and a promotion replaces it. */
  readonly holdsRanges?: boolean;
}

/**
 * Whether `text` is one version Gantry may read and compare. A template is always an error;
 * a range is an error unless the phase says it holds ranges, and then it reads as "no
 * version yet" (`false`), so the first promotion pins it.
 */
export function checkVersion(text: string, where: Where, options: VersionCheck = {}): boolean {
  if (isTemplate(text)) {
    throw updaterError(
      where,
      `"${text}" is a template, not a version: Gantry writes values, not expressions; point the updater at the value the template reads`,
    );
  }
  if (!isRange(text)) return true;
  if (options.holdsRanges) return false;
  throw updaterError(
    where,
    `"${text}" is a version range, not one version: Gantry promotes exact versions, and will not read a range as one (set holdsRanges: true to let a promotion replace it with the exact version)`,
  );
}

/** An image tag: a template or a wildcard is not a tag. */
export function checkTag(text: string, where: Where): void {
  if (isTemplate(text)) {
    throw updaterError(where, `"${text}" is a template, not an image tag; point the updater at the value it reads`);
  }
  if (text.includes('*')) throw updaterError(where, `"${text}" is a wildcard, not an image tag`);
}
