import type { ConnectionsResult } from './connections.ts';

/** Issue 7's connection targets. */
const targets = { connections: 50_000, bytesPerConnection: 16 * 1024, loginsPerSecond: 2_000 };

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const count = (value: number) => Math.round(value).toLocaleString('en-US');

/** The report's rows for the connections scenario: connections held, memory each, logins/s. */
export function connectionRows(result: ConnectionsResult) {
  const last = result.steps.at(-1);
  if (!last) return [];
  const base = { substrate: '–', ratio: '–' };
  const cappedByFds = last.connections >= result.fdCeiling;
  const extrapolated = result.baseline.rssBytes + targets.connections * last.rssPerConnection;
  return [
    {
      ...base,
      scenario: 'Connections: idle customer RTM connections held by one gateway process',
      threadline: count(last.connections),
      target: `≥ ${count(targets.connections)}`,
      met:
        last.connections >= targets.connections
          ? 'met'
          : `not measurable here: open-files limit ${count(result.fdLimit)}` +
            (cappedByFds ? '' : ` (room for ~${count(result.fdCeiling)})`),
    },
    {
      ...base,
      scenario:
        `Connections: gateway RSS per connection at ${count(last.connections)} ` +
        `((RSS − RSS before) / N; per added connection ${kib(last.rssPerAddedConnection)})`,
      threadline: kib(last.rssPerConnection),
      target: `≤ ${kib(targets.bytesPerConnection)}`,
      met:
        `${last.rssPerConnection <= targets.bytesPerConnection ? 'met' : 'not met'}; ` +
        `extrapolated to ${count(targets.connections)}: ${(extrapolated / 2 ** 30).toFixed(2)} GiB`,
    },
    {
      ...base,
      scenario: `Connections: customer RTM logins per second (${count(last.logins)} logins, last step)`,
      threadline: `${count(last.loginsPerSecond)}/s, p99 ${last.login.p99.toFixed(0)} ms`,
      target: `≥ ${count(targets.loginsPerSecond)}/s`,
      met: last.loginsPerSecond >= targets.loginsPerSecond ? 'met' : 'not met',
    },
  ];
}
