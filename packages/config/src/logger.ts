import { createRequire } from 'node:module';
import type { Logger } from '@gantry/core';
import type * as Pino from 'pino';
import type { LogLevel } from './schema.js';

type LogMethod = 'debug' | 'info' | 'warn' | 'error';
const ORDER: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** pino, loaded on the first line logged (CommonJS, so synchronously). */
const loadPino = () => (createRequire(import.meta.url)('pino') as typeof Pino).pino;

/**
 * Structured JSON logs on stderr (stdout belongs to command output). Credentials never
 * reach the logger: sources scrub them before they log or throw.
 *
 * pino loads when the first line at the level or above is logged: a command at `warn` that has
 * nothing to warn about (most runs of `status` or `validate`) starts without it. Children made
 * before then are made on pino's logger then, with the same bindings.
 */
export function createLogger(level: LogLevel, destination: 1 | 2 = 2): Logger {
  let root: Logger | undefined;
  const real = () => {
    if (!root) {
      const pino = loadPino();
      root = pino({ level, base: { app: 'gantry' } }, pino.destination(destination));
    }
    return root;
  };
  const threshold = ORDER.indexOf(level);
  const lazy = (bindings: readonly Record<string, unknown>[]): Logger => {
    let own: Logger | undefined;
    const logger = () => {
      own ??= bindings.reduce<Logger>((l, b) => l.child(b), real());
      return own;
    };
    const at = (method: LogMethod): Logger[LogMethod] =>
      ORDER.indexOf(method) >= threshold
        ? (obj: object | string, msg?: string) =>
            // as called: pino reads a second argument, even undefined, as one more value to format
            msg === undefined ? logger()[method](obj) : logger()[method](obj, msg)
        : () => {};
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (b) => lazy([...bindings, b]),
    };
  };
  return lazy([]);
}
