import type { Ora } from 'ora';
import pc from 'picocolors';
import type { Io } from './io.js';

/** A spinner on a terminal; silent otherwise, so piped output stays clean. */
export interface Progress {
  text(text: string): void;
  done(text?: string): void;
  fail(text?: string): void;
}

export function progress(io: Io, text: string): Progress {
  if (!io.interactive) return { text() {}, done() {}, fail() {} };
  // ora and its terminal libraries load only on a terminal, and meanwhile the command goes on:
  // one that ends first never shows a spinner, and prints its last line as ora would
  let current = text;
  let spinner: Ora | undefined;
  let ended = false;
  void import('ora').then(({ default: ora }) => {
    if (!ended) spinner = ora({ text: current, stream: process.stderr, discardStdin: false }).start();
  });
  const end = (symbol: string, method: 'succeed' | 'fail', t: string | undefined) => {
    ended = true;
    if (spinner) {
      if (t) spinner[method](t);
      else spinner.stop();
    } else if (t) {
      io.err(`${symbol} ${t}\n`);
    }
  };
  return {
    text: (t) => {
      current = t;
      if (spinner) spinner.text = t;
    },
    done: (t) => end(pc.green('✔'), 'succeed', t),
    fail: (t) => end(pc.red('✖'), 'fail', t),
  };
}
