import type { CommitGate, CompiledCommit } from './commit-schema.js';
import type { EvaluationContext } from './evaluation-context.js';
import { shortSha } from './evaluation-context.js';
import type { CommitEvidence, CommitVerdict } from './verdict.js';
import { makeVerdict } from './verdict.js';

type Failure = CommitEvidence['failed'][number];

/** Messages longer than this are searched only this far: rules look at what people write. */
const MESSAGE_LIMIT = 64 * 1024;

/** `commit`: skip markers, allowed committers and a ticket reference on the source commit. */
export function evaluateCommit(g: CommitGate, compiled: CompiledCommit, c: EvaluationContext): CommitVerdict {
  const source = c.facts.version.source;
  const sha = source?.sha;
  const message = source?.message?.slice(0, MESSAGE_LIMIT);
  const person = g.identity === 'author' ? source?.author : source?.committer;
  const email = person?.email;
  const commit = shortSha(sha);
  const failed: Failure[] = [];
  const reasons: string[] = [];
  const unblock: string[] = [];
  let skipMarker: string | undefined;
  let ticket: string | undefined;

  const needsMessage = compiled.skipMarkers.length > 0 || compiled.ticket !== undefined;
  if (needsMessage && message === undefined) {
    failed.push('message-unknown');
    reasons.push(`the message of ${commit} is not known`);
    unblock.push(
      "the version's source commit and its message must be known (image label org.opencontainers.image.revision, or a CI report)",
    );
  }
  if (message !== undefined) {
    const lower = message.toLowerCase();
    const found = g.skipMarkers.find((_, i) => lower.includes(compiled.skipMarkers[i] as string));
    if (found !== undefined) {
      skipMarker = found;
      if (!c.manual) {
        failed.push('skip-marker');
        reasons.push(`${commit} says ${found}`);
        unblock.push(`release it by hand (${found} only stops automatic promotion), or build from a commit without it`);
      }
    }
    if (compiled.ticket) {
      const m = compiled.ticket.exec(message);
      if (m) ticket = m[0];
      else {
        failed.push('ticket');
        reasons.push(`the message of ${commit} has no ticket reference (${g.ticket})`);
        unblock.push(`release from a commit whose message has a ticket like ${g.ticketExample ?? g.ticket}`);
      }
    }
  }
  if (compiled.committers.length > 0) {
    if (email === undefined) {
      failed.push('email-unknown');
      reasons.push(`the ${g.identity} of ${commit} is not known`);
      unblock.push(`the ${g.identity}'s email of the source commit must be known (a CI report)`);
    } else if (!compiled.committers.some((m) => m.test(email))) {
      failed.push('committer');
      reasons.push(`${g.identity} ${email} is not allowed`);
      unblock.push(`release a version committed by an allowed ${g.identity} (${g.committers.join(', ')})`);
    }
  }
  const evidence: { -readonly [P in keyof CommitEvidence]: CommitEvidence[P] } = { identity: g.identity, failed };
  if (sha) evidence.commit = sha;
  if (message !== undefined) evidence.subject = message.split('\n', 1)[0] as string;
  if (email) evidence.email = email;
  if (skipMarker) evidence.skipMarker = skipMarker;
  if (ticket) evidence.ticket = ticket;
  if (g.ticket) evidence.ticketPattern = g.ticket;
  if (failed.length > 0) {
    return makeVerdict(g.name, 'commit', 'block', reasons.join('; '), evidence, unblock.join('; '));
  }
  const passed: string[] = [];
  if (ticket) passed.push(`ticket ${ticket}`);
  if (email && compiled.committers.length > 0) passed.push(`${g.identity} ${email} allowed`);
  if (skipMarker) passed.push(`${skipMarker} ignored: released by hand`);
  else if (compiled.skipMarkers.length > 0) passed.push('no skip marker');
  return makeVerdict(g.name, 'commit', 'pass', `${commit}: ${passed.join(', ')}`, evidence);
}
