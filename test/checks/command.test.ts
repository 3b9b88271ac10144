import { CheckCancelledError, parseCheck, runCheck } from '@gantry/checks';
import { tempDir } from '@gantry/testing';
import { describe, expect, it } from 'vitest';
import { promotion } from './helpers.js';
import { processGone, until } from './until.js';

/** The pid a script printed as `child=<pid>`. */
function childPid(output: string): number {
  const m = /child=(\d+)/.exec(output);
  if (!m) throw new Error(`no child pid in output: ${output}`);
  return Number(m[1]);
}

describe('command checks as real processes', () => {
  it('GIVEN a program that exits 0 WHEN it runs from argv THEN it passes with exit code 0 as evidence', async () => {
    const check = parseCheck({ kind: 'command', argv: ['node', '-e', 'console.log("smoke ok")'] });
    const result = await runCheck(check, promotion);
    expect(result).toMatchObject({ kind: 'command', status: 'passed', reason: 'exited with 0', attempts: 1 });
    expect(result.name).toBe('command node -e console.log("smoke ok")');
    expect(result.kind === 'command' && result.evidence).toMatchObject({ exitCode: 0, signal: null, timedOut: false });
    expect(result.output).toBe('smoke ok\n');
  });

  it('GIVEN a shell line that fails WHEN it runs THEN it fails with its exit code, stdout and stderr kept', async () => {
    const check = parseCheck({
      kind: 'command',
      shell: 'echo "3 tests passed"; echo "1 test failed: checkout" >&2; exit 3',
    });
    const result = await runCheck(check, promotion);
    expect(result.status).toBe('failed');
    expect(result.reason).toBe('exited with 3');
    expect(result.kind === 'command' && result.evidence.exitCode).toBe(3);
    expect(result.output).toContain('3 tests passed');
    expect(result.output).toContain('1 test failed: checkout');
  });

  it('GIVEN a promotion WHEN a command runs THEN it sees the GANTRY_* variables, its own env, and no inherited GANTRY_*', async () => {
    const check = parseCheck({
      kind: 'command',
      name: 'env',
      shell: 'env | grep -E "^(GANTRY_|SMOKE_|PATH=)" | sort',
      env: { SMOKE_TARGET: 'https://staging.example' },
    });
    const result = await runCheck(check, promotion, {
      env: { ...process.env, GANTRY_TOKEN: 'server-secret', GANTRY_VERSION: 'stale' },
    });
    expect(result.status).toBe('passed');
    const lines = result.output.trim().split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'GANTRY_PIPELINE=shop',
        'GANTRY_PHASE=staging',
        'GANTRY_PROMOTION_ID=01JTESTPROMOTION',
        'GANTRY_VERSION=1.4.2',
        `GANTRY_DIGEST=${promotion.digest}`,
        'GANTRY_FROM_VERSION=1.4.1',
        `GANTRY_FROM_DIGEST=${promotion.fromDigest}`,
        'GANTRY_UPSTREAM=dev',
        `GANTRY_COMMIT=${promotion.commit}`,
        'GANTRY_CHECK_NAME=env',
        'SMOKE_TARGET=https://staging.example',
      ]),
    );
    expect(lines.some((l) => l.startsWith('PATH='))).toBe(true);
    expect(result.output).not.toContain('server-secret');
    expect(result.output).not.toContain('stale');
  });

  it('GIVEN a promotion without a previous version WHEN a command runs THEN the unknown variables are set and empty', async () => {
    const { fromVersion: _v, fromDigest: _d, upstream: _u, commit: _c, ...first } = promotion;
    const check = parseCheck({
      kind: 'command',
      shell: 'set -u; echo "from=[$GANTRY_FROM_VERSION] commit=[$GANTRY_COMMIT]"',
    });
    const result = await runCheck(check, first);
    expect(result.status).toBe('passed');
    expect(result.output).toBe('from=[] commit=[]\n');
  });

  it('GIVEN a hanging command with a child WHEN its timeout passes THEN the whole group is killed and it fails with its output so far', async () => {
    const check = parseCheck({
      kind: 'command',
      shell: 'echo "started smoke"; sleep 60 & echo "child=$!"; wait',
      timeout: '200ms',
      killAfter: '5s',
    });
    const result = await runCheck(check, promotion);
    expect(result.status).toBe('failed');
    expect(result.reason).toBe('timed out after 200ms; stopped with SIGTERM');
    expect(result.kind === 'command' && result.evidence).toMatchObject({
      timedOut: true,
      exitCode: null,
      signal: 'SIGTERM',
    });
    expect(result.output).toContain('started smoke');
    expect(result.output).toContain('[gantry] timed out after 200ms');
    const child = childPid(result.output);
    await until(() => processGone(child), `the sleep child ${child} has ended`);
  });

  it('GIVEN a command that ignores SIGTERM WHEN its timeout passes THEN SIGKILL ends it and its child after the grace', async () => {
    const check = parseCheck({
      kind: 'command',
      shell: `trap '' TERM; echo "stubborn"; sleep 60 & echo "child=$!"; wait; wait; wait`,
      timeout: '200ms',
      killAfter: '200ms',
    });
    const result = await runCheck(check, promotion);
    expect(result.status).toBe('failed');
    expect(result.reason).toBe('timed out after 200ms; did not stop on SIGTERM within 200ms, killed with SIGKILL');
    expect(result.kind === 'command' && result.evidence.signal).toBe('SIGKILL');
    expect(result.output).toContain('stubborn');
    const child = childPid(result.output);
    await until(() => processGone(child), `the sleep child ${child} has ended`);
  });

  it('GIVEN a command that leaves a background process WHEN it exits 0 THEN it passes and the leftover is stopped', async () => {
    // the background sleep holds the output pipe open: the check must not wait for it
    const check = parseCheck({ kind: 'command', shell: 'sleep 60 & echo "child=$!"; echo done', killAfter: '5s' });
    const result = await runCheck(check, promotion);
    expect(result.status).toBe('passed');
    expect(result.output).toContain('done');
    const child = childPid(result.output);
    await until(() => processGone(child), `the leftover ${child} has ended`);
  });

  it('GIVEN a program that does not exist WHEN it runs THEN it fails saying it cannot start', async () => {
    const result = await runCheck(parseCheck({ kind: 'command', argv: ['/nonexistent/smoke-test'] }), promotion);
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/^cannot start "\/nonexistent\/smoke-test": .*ENOENT/);
    expect(result.kind === 'command' && result.evidence.error).toBe('ENOENT');
  });

  it('GIVEN a relative cwd WHEN the command runs THEN it runs in that directory under the work dir', async () => {
    await using dir = await tempDir('gantry-checks-cwd-');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(`${dir.path}/smoke`);
    const result = await runCheck(parseCheck({ kind: 'command', argv: ['pwd'], cwd: 'smoke' }), promotion, {
      workDir: dir.path,
    });
    expect(result.status).toBe('passed');
    expect(result.output.trim()).toMatch(/\/smoke$/);
  });

  it('GIVEN a command printing more than the limit WHEN it ends THEN only the last bytes are kept, marked truncated', async () => {
    const check = parseCheck({
      kind: 'command',
      argv: ['node', '-e', 'process.stdout.write("x".repeat(100000)); console.log("THE END")'],
    });
    const result = await runCheck(check, promotion, { outputLimit: 1024 });
    expect(result.status).toBe('passed');
    expect(result.outputTruncated).toBe(true);
    expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(1024);
    expect(result.output.endsWith('THE END\n')).toBe(true);
  });

  it('GIVEN a long command WHEN its signal aborts THEN it is killed with its children and rejects as cancelled', async () => {
    const controller = new AbortController();
    await using dir = await tempDir('gantry-checks-cancel-');
    const pidFile = `${dir.path}/child.pid`;
    const check = parseCheck({ kind: 'command', shell: `sleep 60 & echo $! > ${pidFile}; wait`, timeout: '5m' });
    const running = runCheck(check, promotion, { signal: controller.signal });
    const { existsSync, readFileSync } = await import('node:fs');
    await until(
      () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '',
      'the command started its child',
    );
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(CheckCancelledError);
    const child = Number(readFileSync(pidFile, 'utf8').trim());
    await until(() => processGone(child), `the child ${child} has ended`);
  });
});
