import type { Platform } from '@threadline/testkit';

/**
 * Appends chat-store's replicas have had refused so far because another writer appended to the
 * chat first (each one a command decided again): their `chat_store_append_conflicts_total`,
 * read from each replica's /metrics. With two replicas taking a chat's commands in turn, a
 * replica's cached chat is often stale; this shows how often that costs a second decision.
 */
export async function appendConflicts(platform: Platform): Promise<number> {
  let total = 0;
  for (const service of platform.processes.filter((process) => process.service === 'chat-store')) {
    const text = await (await fetch(`${service.healthUrl}/metrics`)).text();
    for (const line of text.split('\n')) {
      if (line.startsWith('chat_store_append_conflicts_total'))
        total += Number(line.split(' ').at(-1));
    }
  }
  return total;
}
