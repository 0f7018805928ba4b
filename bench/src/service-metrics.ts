import type { Platform, ServiceName } from '@threadline/testkit';

/**
 * A Prometheus counter summed over every label set and every replica of a service, scraped from
 * their /metrics: what the services counted during a run (e.g. chat-store's append conflicts,
 * commands decided twice), which timings alone do not show.
 */
export async function counterTotal(
  platform: Platform,
  service: ServiceName,
  name: string,
): Promise<number> {
  let total = 0;
  for (const replica of platform.processes.filter((process) => process.service === service)) {
    const text = await (await fetch(`${replica.healthUrl}/metrics`)).text();
    for (const line of text.split('\n')) {
      const rest = line.slice(name.length);
      if (!line.startsWith(name) || !(rest.startsWith('{') || rest.startsWith(' '))) continue;
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}
