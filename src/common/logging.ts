import { pino } from 'pino';

/** The logging surface Ferrite code uses: structured fields first, then the message. */
export interface Logger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  child(fields: object): Logger;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/**
 * A JSON logger on standard error. Secrets never reach it: driver_info and
 * instance_info are not logged, only node identifiers and error messages.
 */
export function createLogger(
  level: LogLevel = 'info',
  destination: NodeJS.WritableStream = process.stderr,
): Logger {
  return pino({ level, base: { service: 'ferrite' } }, destination);
}

/** A logger that drops everything: tests and benchmarks. */
export const silentLogger: Logger = createLogger('silent');
