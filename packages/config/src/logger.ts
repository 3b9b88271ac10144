import type { Logger } from '@gantry/core';
import { pino } from 'pino';
import type { LogLevel } from './schema.js';

/**
 * Structured JSON logs on stderr (stdout belongs to command output). Credentials never
 * reach the logger: sources scrub them before they log or throw.
 */
export function createLogger(level: LogLevel, destination: 1 | 2 = 2): Logger {
  return pino({ level, base: { app: 'gantry' } }, pino.destination(destination));
}
