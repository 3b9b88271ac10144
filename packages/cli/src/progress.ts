import ora from 'ora';
import type { Io } from './io.js';

/** A spinner on a terminal; silent otherwise, so piped output stays clean. */
export interface Progress {
  text(text: string): void;
  done(text?: string): void;
  fail(text?: string): void;
}

export function progress(io: Io, text: string): Progress {
  if (!io.interactive) return { text() {}, done() {}, fail() {} };
  const spinner = ora({ text, stream: process.stderr, discardStdin: false }).start();
  return {
    text: (t) => {
      spinner.text = t;
    },
    done: (t) => (t ? spinner.succeed(t) : spinner.stop()),
    fail: (t) => (t ? spinner.fail(t) : spinner.stop()),
  };
}
