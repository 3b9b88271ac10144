import type { CommitGate, CompiledCommit } from './commit-schema.js';
import type { EvaluationContext } from './evaluation-context.js';
import { shortSha } from './evaluation-context.js';
import type { Decided } from './decision.js';
import type { CommitEvidence } from './verdict.js';
import { decided } from './decision.js';

type Failure = CommitEvidence['failed'][number];

/** Messages longer than this are searched only this far: rules look at what people write. */
const MESSAGE_LIMIT = 64 * 1024;

interface Findings {
  readonly sha: string | undefined;
  readonly message: string | undefined;
  readonly email: string | undefined;
  readonly skipMarker: string | undefined;
  readonly ticket: string | undefined;
  readonly failed: readonly Failure[];
}

/** `commit`: skip markers, allowed committers and a ticket reference on the source commit. */
export function evaluateCommit(g: CommitGate, compiled: CompiledCommit, c: EvaluationContext): Decided<'commit'> {
  const source = c.facts.version.source;
  const message = source?.message?.slice(0, MESSAGE_LIMIT);
  const email = (g.identity === 'author' ? source?.author : source?.committer)?.email;
  const failed: Failure[] = [];
  let skipMarker: string | undefined;
  let ticket: string | undefined;
  if ((compiled.skipMarkers.length > 0 || compiled.ticket !== undefined) && message === undefined) {
    failed.push('message-unknown');
  }
  if (message !== undefined) {
    if (compiled.skipMarkers.length > 0) {
      const lower = message.toLowerCase();
      skipMarker = g.skipMarkers.find((_, i) => lower.includes(compiled.skipMarkers[i] as string));
      // the marker stops automatic promotion only
      if (skipMarker !== undefined && !c.manual) failed.push('skip-marker');
    }
    if (compiled.ticket) {
      const m = compiled.ticket.exec(message);
      if (m) ticket = m[0];
      else failed.push('ticket');
    }
  }
  if (compiled.committers.length > 0) {
    if (email === undefined) failed.push('email-unknown');
    else if (!compiled.committers.some((m) => m.test(email))) failed.push('committer');
  }
  const found: Findings = { sha: source?.sha, message, email, skipMarker, ticket, failed };
  return decided(g.name, 'commit', failed.length > 0 ? 'block' : 'pass', undefined, () => explain(g, compiled, found));
}

function explain(g: CommitGate, compiled: CompiledCommit, f: Findings) {
  const commit = shortSha(f.sha);
  const evidence: { -readonly [P in keyof CommitEvidence]: CommitEvidence[P] } = {
    identity: g.identity,
    failed: f.failed,
  };
  if (f.sha) evidence.commit = f.sha;
  if (f.message !== undefined) evidence.subject = f.message.split('\n', 1)[0] as string;
  if (f.email) evidence.email = f.email;
  if (f.skipMarker) evidence.skipMarker = f.skipMarker;
  if (f.ticket) evidence.ticket = f.ticket;
  if (g.ticket) evidence.ticketPattern = g.ticket;
  if (f.failed.length === 0) {
    const passed: string[] = [];
    if (f.ticket) passed.push(`ticket ${f.ticket}`);
    if (f.email && compiled.committers.length > 0) passed.push(`${g.identity} ${f.email} allowed`);
    if (f.skipMarker) passed.push(`${f.skipMarker} ignored: released by hand`);
    else if (compiled.skipMarkers.length > 0) passed.push('no skip marker');
    return { reason: `${commit}: ${passed.join(', ')}`, evidence };
  }
  const reasons: string[] = [];
  const unblock: string[] = [];
  for (const failure of f.failed) {
    switch (failure) {
      case 'message-unknown':
        reasons.push(`the message of ${commit} is not known`);
        unblock.push(
          "the version's source commit and its message must be known (image label org.opencontainers.image.revision, or a CI report)",
        );
        break;
      case 'skip-marker':
        reasons.push(`${commit} says ${f.skipMarker}`);
        unblock.push(
          `release it by hand (${f.skipMarker} only stops automatic promotion), or build from a commit without it`,
        );
        break;
      case 'ticket':
        reasons.push(`the message of ${commit} has no ticket reference (${g.ticket})`);
        unblock.push(`release from a commit whose message has a ticket like ${g.ticketExample ?? g.ticket}`);
        break;
      case 'email-unknown':
        reasons.push(`the ${g.identity} of ${commit} is not known`);
        unblock.push(`the ${g.identity}'s email of the source commit must be known (a CI report)`);
        break;
      case 'committer':
        reasons.push(`${g.identity} ${f.email} is not allowed`);
        unblock.push(`release a version committed by an allowed ${g.identity} (${g.committers.join(', ')})`);
        break;
    }
  }
  return { reason: reasons.join('; '), unblock: unblock.join('; '), evidence };
}
