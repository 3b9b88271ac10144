import { SourceError } from '@gantry/core';

/** How a failed network command (fetch, push, ls-remote) failed, judged by git's stderr (LC_ALL=C). */
export type GitFailureKind = 'unreachable' | 'auth' | 'rejected' | 'other';

const AUTH = [
  /authentication failed/i,
  /invalid username or password/i,
  /could not read (username|password)/i,
  /permission denied \(publickey/i,
  /http (basic: )?access denied/i,
  /the requested url returned error: 40[13]/i,
  /terminal prompts disabled/i,
];

const UNREACHABLE = [
  /could not resolve host/i,
  /failed to connect to/i,
  /connection refused/i,
  /connection timed out/i,
  /couldn't connect to server/i,
  /does not appear to be a git repository/i,
  /repository '.*' not found/i,
  /the requested url returned error: 404/i,
  /could not read from remote repository/i,
  /no such file or directory/i,
  /network is unreachable/i,
  /empty reply from server/i,
  /connection reset/i,
  /host key verification failed/i,
];

/**
 * A push the remote refused because the branch moved under us: fetching and
 * re-applying can fix it. A hook's refusal (`pre-receive hook declined`) cannot.
 */
const RACE = [
  /non-fast-forward/i,
  /\(fetch first\)/i,
  /stale info/i,
  /failed to update ref/i,
  /cannot lock ref/i,
  /incorrect old value/i,
];

export function isRetryableRejection(output: string): boolean {
  return RACE.some((re) => re.test(output));
}

export function classifyFailure(stderr: string): GitFailureKind {
  if (isRetryableRejection(stderr)) return 'rejected';
  if (AUTH.some((re) => re.test(stderr))) return 'auth';
  if (UNREACHABLE.some((re) => re.test(stderr))) return 'unreachable';
  return 'other';
}

/** The last meaningful lines of stderr, for a message. */
export function tail(stderr: string, lines = 4): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('hint:'))
    .slice(-lines)
    .join('; ');
}

export interface FailureContext {
  readonly repository: string;
  /** Without credentials. */
  readonly url: string;
  readonly command: string;
  /** Already scrubbed. */
  readonly stderr: string;
}

/** The typed error for a git command that failed talking to (or about) a remote. */
export function gitFailure(c: FailureContext): SourceError {
  const detail = tail(c.stderr);
  const context = { repository: c.repository, url: c.url, command: `git ${c.command}`, stderr: detail };
  switch (classifyFailure(c.stderr)) {
    case 'unreachable':
      return new SourceError(
        'git_unreachable',
        `git repository "${c.repository}" at ${c.url} is unreachable: ${detail}`,
        context,
      );
    case 'auth':
      return new SourceError(
        'git_auth_failed',
        `authentication to git repository "${c.repository}" at ${c.url} failed: ${detail}`,
        context,
      );
    default:
      return new SourceError(
        'git_failed',
        `git ${c.command} failed for repository "${c.repository}": ${detail}`,
        context,
      );
  }
}
