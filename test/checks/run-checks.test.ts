import { existsSync } from 'node:fs';
import type { CheckResult } from '@gantry/checks';
import { CheckCancelledError, parseChecks, runCheck, runChecks } from '@gantry/checks';
import { tempDir } from '@gantry/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalServer } from './helpers.js';
import { listen, promotion } from './helpers.js';
import { processGone, until } from './until.js';

/** A clock that moves one second per reading. */
function steppingClock(start = Date.parse('2025-03-01T12:00:00.000Z')) {
  let t = start;
  return () => {
    const d = new Date(t);
    t += 1000;
    return d;
  };
}

describe("a phase's checks", () => {
  const servers: LocalServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('GIVEN a passing HTTP check and a failing command WHEN the phase runs THEN the verdict fails naming the command', async () => {
    const server = await listen((_req, res) => res.end('ok'));
    servers.push(server);
    const checks = parseChecks([
      { kind: 'http', name: 'health', url: server.url, retries: 0 },
      { kind: 'command', name: 'smoke', shell: 'echo "checkout failed"; exit 1' },
    ]);
    const recorded: string[] = [];
    const { results, verdict } = await runChecks(checks, promotion, {
      onResult: (r) => {
        recorded.push(`${r.name}:${r.status}`);
      },
    });
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['health', 'passed'],
      ['smoke', 'failed'],
    ]);
    expect(recorded.sort()).toEqual(['health:passed', 'smoke:failed']);
    expect(verdict.state).toBe('failed');
    expect(verdict.state === 'failed' && verdict.failed.map((r) => [r.name, r.reason, r.output])).toEqual([
      ['smoke', 'exited with 1', 'checkout failed\n'],
    ]);
  });

  it('GIVEN checks that all pass WHEN the phase runs THEN verified, with times from the injected clock', async () => {
    const server = await listen((_req, res) => res.end('ok'));
    servers.push(server);
    const checks = parseChecks([
      { kind: 'http', url: server.url },
      { kind: 'command', argv: ['true'] },
    ]);
    const { results, verdict } = await runChecks(checks, promotion, { now: steppingClock() });
    expect(verdict.state).toBe('verified');
    const times = results.flatMap((r: CheckResult) => [r.startedAt, r.finishedAt]).sort();
    expect(times[0]).toBe('2025-03-01T12:00:00.000Z');
    expect(verdict.state === 'verified' && verdict.at).toBe(times.at(-1));
  });

  it('GIVEN two checks that each wait for the other WHEN the phase runs THEN both pass: checks run at the same time', async () => {
    await using dir = await tempDir('gantry-checks-parallel-');
    const waitFor = (mine: string, other: string) =>
      `touch ${dir.path}/${mine}; while [ ! -f ${dir.path}/${other} ]; do sleep 0.02; done`;
    const checks = parseChecks([
      { kind: 'command', name: 'a', shell: waitFor('a', 'b'), timeout: '30s' },
      { kind: 'command', name: 'b', shell: waitFor('b', 'a'), timeout: '30s' },
    ]);
    const { verdict } = await runChecks(checks, promotion);
    expect(verdict.state).toBe('verified');
  });

  it('GIVEN a phase with a long command WHEN the signal aborts THEN it rejects as cancelled once the command is dead', async () => {
    await using dir = await tempDir('gantry-checks-shutdown-');
    const server = await listen((_req, res) => res.end('ok'));
    servers.push(server);
    const checks = parseChecks([
      { kind: 'http', url: server.url },
      {
        kind: 'command',
        shell: `echo $$ > ${dir.path}/pid.tmp && mv ${dir.path}/pid.tmp ${dir.path}/pid; exec sleep 60`,
      },
    ]);
    const controller = new AbortController();
    const running = runChecks(checks, promotion, { signal: controller.signal });
    await until(() => existsSync(`${dir.path}/pid`), 'the command has started');
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(CheckCancelledError);
    const { readFileSync } = await import('node:fs');
    const pid = Number(readFileSync(`${dir.path}/pid`, 'utf8'));
    await until(() => processGone(pid), 'the command has ended');
  });

  it('GIVEN an already aborted signal WHEN a check is run THEN nothing starts and it rejects as cancelled', async () => {
    const [check] = parseChecks([{ kind: 'command', argv: ['true'] }]);
    await expect(
      runCheck(check as NonNullable<typeof check>, promotion, { signal: AbortSignal.abort() }),
    ).rejects.toThrow(CheckCancelledError);
  });
});
