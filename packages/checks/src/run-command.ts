import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { throwIfCancelled } from './attempts.js';
import type { CommandCheck } from './command-schema.js';
import type { CheckContext } from './context.js';
import { commandEnvironment } from './context.js';
import type { ResolvedDeps } from './deps.js';
import { formatDuration } from './duration-schema.js';
import { CheckCancelledError } from './errors.js';
import type { KindOutcome } from './kind-outcome.js';
import { signalGroup, stopGroup } from './process-group.js';
import type { CommandEvidence } from './result.js';
import { tailBuffer } from './tail-buffer.js';

/** The argv a command check runs: its own, or `/bin/sh -c <shell>`. */
export function commandArgv(check: CommandCheck): string[] {
  return check.argv ?? ['/bin/sh', '-c', check.shell ?? ''];
}

/**
 * Runs a command check as its own process group (so a timeout or cancellation stops
 * everything it started), stdout and stderr interleaved into one bounded output. Once
 * the command exits, whatever it left running in its group is stopped too.
 */
export async function runCommandCheck(
  check: CommandCheck,
  context: CheckContext,
  deps: ResolvedDeps,
): Promise<KindOutcome<CommandEvidence>> {
  throwIfCancelled(check.name, deps.signal);
  const argv = commandArgv(check);
  const log = tailBuffer(deps.outputLimit);
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd: resolve(deps.workDir, check.cwd ?? '.'),
    env: commandEnvironment(context, check.name, check.env, deps.env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => log.append(d));
  child.stderr.on('data', (d: Buffer) => log.append(d));

  let spawnError: Error | undefined;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let timedOut = false;
  let cancelled = false;
  let stopping: ReturnType<typeof stopGroup> | undefined;
  const pgid = child.pid;
  const stop = () => {
    if (pgid !== undefined && !stopping) stopping = stopGroup(pgid, check.killAfter);
  };
  const closed = new Promise<void>((done) => child.once('close', () => done()));
  child.once('error', (e) => {
    spawnError = e;
  });
  child.once('exit', (code, signal) => {
    exit = { code, signal };
    clearTimeout(deadline);
    // leftovers (a background job, a server a test started) must not outlive the check
    if (pgid !== undefined && signalGroup(pgid, 0)) stop();
  });
  const deadline = setTimeout(() => {
    timedOut = true;
    log.append(`\n[gantry] timed out after ${formatDuration(check.timeout)}: stopping the process group\n`);
    stop();
  }, check.timeout.ms);
  const onAbort = () => {
    cancelled = true;
    stop();
  };
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await closed;
    await stopping?.settled();
  } finally {
    clearTimeout(deadline);
    deps.signal?.removeEventListener('abort', onAbort);
  }
  if (cancelled) throw new CheckCancelledError(check.name, deps.signal?.reason);

  const evidence: CommandEvidence = {
    argv,
    exitCode: exit?.code ?? null,
    signal: exit?.signal ?? null,
    timedOut,
    ...(spawnError ? { error: (spawnError as NodeJS.ErrnoException).code ?? spawnError.message } : {}),
  };
  const base = { output: log.text(), outputTruncated: log.truncated(), attempts: 1, evidence };
  if (spawnError && pgid === undefined) {
    return { ...base, status: 'failed', reason: `cannot start ${JSON.stringify(argv[0])}: ${spawnError.message}` };
  }
  if (timedOut) {
    const how = stopping?.killed()
      ? `did not stop on SIGTERM within ${formatDuration(check.killAfter)}, killed with SIGKILL`
      : 'stopped with SIGTERM';
    return { ...base, status: 'failed', reason: `timed out after ${formatDuration(check.timeout)}; ${how}` };
  }
  if (exit?.code === 0) return { ...base, status: 'passed', reason: 'exited with 0' };
  if (exit?.code !== null && exit?.code !== undefined) {
    return { ...base, status: 'failed', reason: `exited with ${exit.code}` };
  }
  return { ...base, status: 'failed', reason: `killed by ${exit?.signal ?? 'an unknown signal'}` };
}
