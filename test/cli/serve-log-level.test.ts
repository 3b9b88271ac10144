import { spawn } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, tempDir } from '@gantry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry } from './run-cli.js';
import { GANTRY_BIN as BIN } from '../support/gantry-bin.js';

/** pino's numeric levels of the JSON lines a run wrote on stderr. */
const levelsIn = (output: string): number[] =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => (JSON.parse(l) as { level: number }).level);

const INFO = 30;
const DEBUG = 20;

describe('gantry serve honours the log level', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let dir: string;

  beforeAll(async () => {
    root = await tempDir('gantry-serve-log-');
    dir = join(root.path, 'sandbox');
    expect((await gantry(['sandbox', 'init', '--yaml', dir], root.path)).code).toBe(0);
  });
  afterAll(() => root.remove());

  /** Runs the real `gantry [flags] serve` until it is ready, stops it as Ctrl-C would, and returns its stderr. */
  async function serveOutput(env: NodeJS.ProcessEnv, flags: string[] = [], cwd = dir): Promise<string> {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, ...flags, 'serve', '--port', String(port)], {
      cwd,
      env: { ...process.env, CI: 'true', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let running = true;
    void exited.then(() => {
      running = false;
    });
    while (running) {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGTERM');
    expect(await exited, err).toBe(0);
    return err;
  }

  it('GIVEN no setting WHEN serve runs THEN it logs at info', async () => {
    const levels = levelsIn(await serveOutput({ GANTRY_LOG_LEVEL: '' }));
    expect(levels).toContain(INFO);
    expect(levels).not.toContain(DEBUG);
  });

  it('GIVEN GANTRY_LOG_LEVEL=warn WHEN serve runs THEN no info lines', async () => {
    const out = await serveOutput({ GANTRY_LOG_LEVEL: 'warn' });
    expect(out).toContain('gantry serving');
    expect(levelsIn(out).filter((l) => l < 40)).toEqual([]);
  });

  it('GIVEN GANTRY_LOG_LEVEL=debug WHEN serve runs THEN debug lines too', async () => {
    expect(levelsIn(await serveOutput({ GANTRY_LOG_LEVEL: 'debug' }))).toContain(DEBUG);
  });

  it('GIVEN GANTRY_LOG_LEVEL=debug and --log-level warn WHEN serve runs THEN the flag wins', async () => {
    const out = await serveOutput({ GANTRY_LOG_LEVEL: 'debug' }, ['--log-level', 'warn']);
    expect(out).toContain('gantry serving');
    expect(levelsIn(out).filter((l) => l < 40)).toEqual([]);
  });

  it('GIVEN logLevel: warn in gantry.yaml WHEN serve runs THEN no info lines; GANTRY_LOG_LEVEL still wins', async () => {
    await using other = await tempDir('gantry-serve-log-file-');
    const d = join(other.path, 'sandbox');
    expect((await gantry(['sandbox', 'init', '--yaml', d], other.path)).code).toBe(0);
    await appendFile(join(d, 'gantry.yaml'), 'logLevel: warn\n');
    expect(levelsIn(await serveOutput({ GANTRY_LOG_LEVEL: '' }, [], d)).filter((l) => l < 40)).toEqual([]);
    expect(levelsIn(await serveOutput({ GANTRY_LOG_LEVEL: 'debug' }, [], d))).toContain(DEBUG);
  });

  it('GIVEN an unknown GANTRY_LOG_LEVEL WHEN serve starts THEN exit 2 naming the variable', async () => {
    const r = await gantry(['serve', '--port', '0'], dir, { GANTRY_LOG_LEVEL: 'loud' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[GANTRY_LOG_LEVEL] "loud" is not a log level');
  });
});
