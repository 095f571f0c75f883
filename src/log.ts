// The service's one logger: pino (the logger Fastify itself uses), JSON lines on stderr, one per
// event: {"level":"warn","time":"2026-11-26T09:00:00.000Z","component":"pipeline","msg":"spool 80 % full"}.
// Components get a child (componentLog) so each line names where it came from; the HTTP layer
// logs through the same instance (Fastify's loggerInstance), so requests carry a reqId.
import { pino, type DestinationStream, type LevelWithSilent, type Logger as PinoLogger } from 'pino';
import type { Logger } from './ports.ts';

export type LogLevel = LevelWithSilent;

/** `dest` defaults to stderr, written synchronously: a line logged just before process.exit is not lost. */
export function createLogger(level: LogLevel, dest: DestinationStream = pino.destination({ dest: 2, sync: true })): PinoLogger {
  return pino({
    level,
    base: undefined, // no pid/hostname on every line
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  }, dest);
}

/** A child logger whose lines carry `component` (a plain { info, warn, error } object is returned as is). */
export function componentLog(log: Logger, component: string): Logger {
  return log.child?.({ component }) ?? log;
}
