import { spawn } from 'node:child_process';
import type { CliResult } from './run-cli.js';
import { GANTRY_BIN as BIN } from '../support/gantry-bin.js';

/** A `gantry` command running in the background, as CI would leave `gantry track` waiting. */
export interface BackgroundCli {
  /** stdout so far. */
  stdout(): string;
  /** Resolves once stdout contains `text` (or fails with the output when the command ends first). */
  printed(text: string): Promise<void>;
  /** Resolves when the command ends. */
  readonly done: Promise<CliResult>;
  /** Ends it if it still runs (a failed test must not leave it behind). */
  kill(): void;
}

export function gantryInBackground(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): BackgroundCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const w of watchers) w();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  return {
    stdout: () => stdout,
    printed(text) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!stdout.includes(text)) return;
          watchers.delete(check);
          resolve();
        };
        watchers.add(check);
        check();
        void done.then((r) => {
          if (!r.stdout.includes(text)) {
            reject(new Error(`ended (exit ${r.code}) without printing "${text}":\n${r.stdout}\n${r.stderr}`));
          }
        });
      });
    },
    done,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
