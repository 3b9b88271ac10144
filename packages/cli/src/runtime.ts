import type { LogLevel, OpenRuntimeOptions, Runtime } from '@gantry/config';
import { openRuntime } from '@gantry/config';
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
export function openCliRuntime(
  io: Io,
  options: GlobalOptions,
  defaultLevel: LogLevel = 'warn',
  load: Pick<OpenRuntimeOptions, 'typecheck'> = {},
): Promise<Runtime> {
  return openRuntime({
    ...load,
    cwd: io.cwd,
    env: io.env,
    defaultLogLevel: defaultLevel,
    ...(options.logLevel !== undefined ? { logLevel: options.logLevel } : {}),
    ...(options.config !== undefined ? { file: options.config } : {}),
  });
}

export async function withRuntime<T>(io: Io, options: GlobalOptions, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await openCliRuntime(io, options);
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}
