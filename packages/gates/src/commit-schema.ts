import { z } from 'zod';
import { remember } from './compiled.js';
import { gateNameSchema } from './gate-name.js';
import type { Matcher } from './pattern.js';
import { compilePattern, compileRegex } from './pattern.js';

export interface CompiledCommit {
  readonly skipMarkers: readonly string[];
  readonly committers: readonly Matcher[];
  readonly ticket?: RegExp;
}

/**
 * `commit`: rules on the source commit the version was built from.
 * - `skipMarkers`: a message containing one (any case) is not promoted automatically;
 * - `committers`: the committer's (or, with `identity: author`, the author's) email must
 *   match one of these patterns;
 * - `ticket`: the message must contain a ticket reference matching this regex.
 */
export const commitGateSchema = z
  .strictObject({
    kind: z.literal('commit'),
    name: gateNameSchema.optional(),
    skipMarkers: z
      .union([z.string().min(1), z.array(z.string().min(1))])
      .transform((v) => (typeof v === 'string' ? [v] : v))
      .default([])
      .describe('Markers such as "[skip deploy]": a commit message holding one is not promoted automatically.'),
    committers: z
      .array(z.string().trim().min(1))
      .default([])
      .describe('Allowed emails: exact, globs (*@example.com) or /regex/; compared without case.'),
    identity: z
      .enum(['committer', 'author'])
      .default('committer')
      .describe("Whose email `committers` checks: the commit's committer (default) or its author."),
    ticket: z
      .string()
      .min(1)
      .optional()
      .describe('A regular expression the message must match, e.g. "[A-Z]+-\\d+" (or "/.../i").'),
    ticketExample: z
      .string()
      .min(1)
      .optional()
      .describe('A ticket reference matching `ticket`, quoted in reasons, e.g. ABC-123.'),
  })
  .transform((g, ctx) => {
    let problems = 0;
    const issue = (path: (string | number)[], message: string) => {
      problems++;
      ctx.addIssue({ code: 'custom', path, message, input: g });
    };
    if (g.skipMarkers.length === 0 && g.committers.length === 0 && g.ticket === undefined) {
      issue([], 'give at least one rule: skipMarkers, committers or ticket');
    }
    const committers: Matcher[] = [];
    g.committers.forEach((text, i) => {
      const m = compilePattern(text, { caseInsensitive: true });
      if (m.ok) committers.push(m.value);
      else issue(['committers', i], m.message);
    });
    let ticket: RegExp | undefined;
    if (g.ticket !== undefined) {
      const re = compileRegex(g.ticket);
      if (re.ok) ticket = re.value;
      else issue(['ticket'], re.message);
    }
    if (g.ticketExample !== undefined) {
      if (g.ticket === undefined) issue(['ticketExample'], 'an example needs a ticket pattern');
      else if (ticket && !ticket.test(g.ticketExample)) {
        issue(['ticketExample'], `"${g.ticketExample}" does not match the ticket pattern ${g.ticket}`);
      }
    }
    if (problems > 0) return z.NEVER;
    const compiled: CompiledCommit = {
      skipMarkers: g.skipMarkers.map((m) => m.toLowerCase()),
      committers,
      ...(ticket ? { ticket } : {}),
    };
    return remember({ ...g, name: g.name ?? 'commit' }, compiled);
  });

export type CommitGateInput = z.input<typeof commitGateSchema>;
export type CommitGate = z.output<typeof commitGateSchema>;
