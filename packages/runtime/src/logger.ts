import type { DestinationStream } from 'pino';
import { type Logger, pino } from 'pino';
import { activeTraceFields } from './spans.ts';

/** What a secret's place in a log line shows instead. */
export const redactedValue = '[redacted]';

/**
 * Field names that hold credentials wherever they appear. A log line is read by whoever reads
 * the logs (an operator, a log shipper, a support ticket), not by whoever owns the secret, so a
 * logged request, error or webhook registration must not hand over a usable credential.
 * Matching is by exact key name, so each spelling the code and the protocol use is listed.
 */
const secretKeys = [
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'Set-Cookie',
  'token',
  'access_token',
  'accessToken',
  'refresh_token',
  'refreshToken',
  'identity_transfer_token',
  'password',
  'secret',
  'secret_key',
  'secretKey',
  'bot_secret',
  'botSecret',
  'client_secret',
  'clientSecret',
  'pat',
  'basic_auth',
  'basicCredentials',
  'code_verifier',
  'x-threadline-signature',
];

/**
 * pino's redaction paths: each key at the top of a line and up to three objects down (pino's
 * paths are literal; `*` stands for any one key, brackets quote keys like `set-cookie`). Deeper
 * objects are not walked: redaction stays cheap, and nothing logs credentials that deep (an
 * error's `err.config.headers.authorization` is three down).
 */
export const redactPaths: readonly string[] = [0, 1, 2, 3].flatMap((depth) =>
  secretKeys.map(
    (key) => `${depth === 0 ? '' : `*${'.*'.repeat(depth - 1)}`}[${JSON.stringify(key)}]`,
  ),
);

/**
 * Structured JSON logs, one logger per service, with the service name on every line and
 * credentials censored (`redactPaths`). A line logged inside a span carries its `trace_id` and
 * `span_id`, so a log search leads to the trace and back. `destination` is for tests.
 */
export function createLogger(
  service: string,
  level = 'info',
  destination?: DestinationStream,
): Logger {
  const options = {
    name: service,
    level,
    base: { service },
    redact: { paths: [...redactPaths], censor: redactedValue },
    mixin: () => activeTraceFields() ?? {},
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
