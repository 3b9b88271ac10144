/** Where a command reads its surroundings and writes its output; tests pass their own. */
export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** stdout: the command's result (tables, JSON). */
  out(text: string): void;
  /** stderr: progress, warnings and errors. */
  err(text: string): void;
  /** stderr is a terminal: show spinners. */
  readonly interactive: boolean;
  readonly color: boolean;
}

export function processIo(): Io {
  const interactive = Boolean(process.stderr.isTTY) && process.env.CI !== 'true';
  return {
    cwd: process.cwd(),
    env: process.env,
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    interactive,
    color: Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined,
  };
}

/** Exit codes, documented in docs/cli.md. */
export const EXIT = {
  ok: 0,
  /** A remote failed, a promotion failed. */
  failed: 1,
  /** Bad configuration, bad arguments, unknown pipeline or phase. */
  invalid: 2,
  /** The promotion cannot happen now (nothing upstream yet, upstreams disagree). */
  blocked: 3,
  /**
   * `track` and `verify`: no verdict within `--timeout`. The same code as invalid input: in both
   * cases there is no answer about the deployment (stderr, or the `--json` result, says which).
   */
  timeout: 2,
} as const;
