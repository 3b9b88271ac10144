import type { Runtime } from '@gantry/config';
import { createLogger, openRuntime } from '@gantry/config';
import type { LogLevel } from '@gantry/config';
import type { Io } from './io.js';

export interface GlobalOptions {
  readonly config?: string;
  readonly logLevel?: LogLevel;
}

/**
 * Opens the configured system for one command and always closes it. The CLI logs only
 * warnings by default: its output is the table or JSON, not the log.
 */
export function openCliRuntime(io: Io, options: GlobalOptions): Promise<Runtime> {
  const level = options.logLevel ?? (io.env.GANTRY_LOG_LEVEL as LogLevel | undefined) ?? 'warn';
  return openRuntime({
    cwd: io.cwd,
    env: io.env,
    logger: createLogger(level),
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
