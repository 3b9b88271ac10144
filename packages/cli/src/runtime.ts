import type { LogLevel, OpenRuntimeOptions, Runtime } from '@gantry/config';
import { openRuntime } from '@gantry/config';
import { requireGit } from '@gantry/git';
import type { Io } from './io.js';

export interface GlobalOptions {
  readonly config?: string;
  readonly logLevel?: LogLevel;
}

/**
 * Opens the configured system for one command and always closes it. The log level is
 * `--log-level`, else `GANTRY_LOG_LEVEL`, else gantry.yaml's `logLevel`, else `defaultLevel`:
 * `warn` for commands (their output is the table or JSON, not the log), `info` for `serve`.
 */
export async function openCliRuntime(
  io: Io,
  options: GlobalOptions,
  defaultLevel: LogLevel = 'warn',
  load: Pick<OpenRuntimeOptions, 'typecheck'> & { readonly needsGit?: boolean } = {},
): Promise<Runtime> {
  const { needsGit = true, ...open } = load;
  const rt = await openRuntime({
    ...open,
    cwd: io.cwd,
    env: io.env,
    defaultLogLevel: defaultLevel,
    ...(options.logLevel !== undefined ? { logLevel: options.logLevel } : {}),
    ...(options.config !== undefined ? { file: options.config } : {}),
  });
  // A command that reads or writes Git says at once that git is missing (git_not_found, exit 2),
  // instead of every phase failing with the same ENOENT. A PATH lookup: no process is started.
  if (needsGit && rt.repositories.names.length > 0) {
    try {
      requireGit(io.env.PATH);
    } catch (e) {
      await rt.close();
      throw e;
    }
  }
  return rt;
}

export async function withRuntime<T>(io: Io, options: GlobalOptions, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await openCliRuntime(io, options);
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}
