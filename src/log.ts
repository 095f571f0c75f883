// Plain, readable log lines on stderr ("2026-11-26T09:00:00.000Z WARN spool 80 % full").
import type { Logger } from './ports.ts';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LEVELS)[number];

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const min = LEVELS.indexOf(level);
  const at = (lvl: LogLevel) => (msg: string) => {
    if (LEVELS.indexOf(lvl) >= min) write(`${new Date().toISOString()} ${lvl.toUpperCase()} ${msg}`);
  };
  return { info: at('info'), warn: at('warn'), error: at('error') };
}
