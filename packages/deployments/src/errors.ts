import { formatIssue, GantryError, type ValidationIssue } from '@gantry/core';
import type { z } from 'zod';

/** A deployer's request body Gantry cannot use: not JSON, or a field it needs is missing or wrong. A 400. */
export class InvalidDeployerEventError extends GantryError {
  readonly issues: readonly ValidationIssue[];
  constructor(source: 'Flux event' | 'Argo CD event', issues: readonly ValidationIssue[]) {
    super('invalid_deployer_event', `${source} is invalid: ${issues.map(formatIssue).join('; ')}`, { issues });
    this.issues = issues;
  }
}

/** The request did not prove it comes from the configured deployer (bad or missing signature or token). A 401. */
export class DeployerAuthenticationError extends GantryError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super('deployer_unauthenticated', message, context);
  }
}

/** Reads a request body as JSON; `[body]` names the problem when it is not. */
export function parseJsonBody(raw: string | Uint8Array, source: 'Flux event' | 'Argo CD event'): unknown {
  const text = typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: false }).decode(raw);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InvalidDeployerEventError(source, [
      { path: 'body', message: `not valid JSON (${e instanceof Error ? e.message : String(e)})` },
    ]);
  }
}

/** zod issues as `[involvedObject.name] Required`: the field path, and "Required" when the field is absent. */
export function issuesOf(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : 'body',
    message:
      (issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined
        ? 'Required'
        : issue.message,
  }));
}
