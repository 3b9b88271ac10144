import type { ErrorCategory, ErrorCode } from './error-codes.js';
import { ERROR_CODES } from './error-codes.js';

/**
 * Typed errors. Every failure Gantry reports has a stable `code`, registered with its
 * category in `error-codes.ts`, and structured context; the edges (CLI, HTTP) render
 * them, nothing else prints them.
 */
export class GantryError extends Error {
  readonly code: ErrorCode;
  readonly context: Readonly<Record<string, unknown>>;
  constructor(code: ErrorCode, message: string, context: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.context = context;
  }

  /** Whose fault it is and what the caller can do: what the edges answer from. */
  get category(): ErrorCategory {
    return ERROR_CODES[this.code];
  }
}

/** One problem found while validating a definition: `[path] message`. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
  /** Where the problem is, when it comes from a file. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export function formatIssue(issue: ValidationIssue): string {
  const where = issue.file
    ? `${issue.file}${issue.line !== undefined ? `:${issue.line}${issue.column !== undefined ? `:${issue.column}` : ''}` : ''} `
    : '';
  return `${where}[${issue.path}] ${issue.message}`;
}

/** A definition (config file, pipeline) with one or more problems; all are collected. */
export class ValidationError extends GantryError {
  readonly issues: readonly ValidationIssue[];
  constructor(subject: string, issues: readonly ValidationIssue[]) {
    super('invalid_definition', `${subject} is invalid:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`, {
      issues,
    });
    this.issues = issues;
  }
}

export class NotFoundError extends GantryError {
  readonly known: readonly string[];
  constructor(
    what: 'pipeline' | 'phase' | 'source' | 'repository' | 'registry',
    name: string,
    known: readonly string[],
    context: Record<string, unknown> = {},
  ) {
    super(
      `unknown_${what}` as const,
      `unknown ${what} "${name}"; known: ${known.length > 0 ? known.join(', ') : '(none)'}`,
      {
        ...context,
        name,
        known,
      },
    );
    this.known = known;
  }
}

/** A phase whose source can only be read was asked to take a promotion. */
export class NotWritableError extends GantryError {
  constructor(pipeline: string, phase: string) {
    super('phase_not_writable', `phase "${pipeline}/${phase}" has a read-only source and cannot be promoted into`, {
      pipeline,
      phase,
    });
  }
}

/** The file is there but the updater cannot find the resource in it. */
export class UpdaterError extends GantryError {
  constructor(message: string, context: { file: string; path: string } & Record<string, unknown>) {
    super('updater_failed', `${context.file}: ${message} (looked at ${context.path})`, context);
  }
}

/** A remote (registry, Git server) failed: down, refused, unauthorized. */
export class SourceError extends GantryError {
  constructor(code: ErrorCode, message: string, context: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(code, message, context, options);
  }
}

/**
 * An explicit version (a release, a rollback) that cannot be promoted: not of the
 * pipeline's resource type, from a repository the pipeline does not read, or holding
 * text a file would not keep. `field` names the part at fault, e.g. `target.repository`.
 */
export class InvalidTargetError extends GantryError {
  readonly field: string;
  constructor(field: string, message: string, context: Record<string, unknown> = {}) {
    super('invalid_target', `[${field}] ${message}`, { ...context, field });
    this.field = field;
  }
}

/** An explicit version its repository does not hold (a digest never pushed, a chart version never released). */
export class TargetNotFoundError extends GantryError {
  readonly field: string;
  constructor(field: string, message: string, context: Record<string, unknown> = {}) {
    super('target_not_found', `[${field}] ${message}`, { ...context, field });
    this.field = field;
  }
}

/** A promotion cannot run now (upstreams disagree, nothing upstream yet...). */
export class PromotionBlockedError extends GantryError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('promotion_blocked', message, context);
  }
}

export function isGantryError(e: unknown): e is GantryError {
  return e instanceof GantryError;
}
