import { type Logger, pino } from 'pino';

/** Structured JSON logs, one logger per service, with the service name on every line. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({ name: service, level, base: { service } });
}

export type { Logger };
