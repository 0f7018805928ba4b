/**
 * How many logged-in RTM connections each agent has on this gateway: the first one announces the
 * agent's routing status, the last one tells the router the agent is gone, and the heartbeat
 * lists who is here.
 */
export function createPresence() {
  const counts = new Map<string, number>();
  const key = (organizationId: string, userId: string) => `${organizationId}\u0000${userId}`;

  return {
    /** The agents with a logged-in connection here now. */
    agents(): { organizationId: string; agentId: string }[] {
      return [...counts.keys()].map((entry) => {
        const [organizationId = '', agentId = ''] = entry.split('\u0000');
        return { organizationId, agentId };
      });
    },
    count(organizationId: string, userId: string): number {
      return counts.get(key(organizationId, userId)) ?? 0;
    },
    add(organizationId: string, userId: string): void {
      const id = key(organizationId, userId);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    },
    /** True when that was the user's last connection here. */
    remove(organizationId: string, userId: string): boolean {
      const id = key(organizationId, userId);
      const left = (counts.get(id) ?? 1) - 1;
      if (left > 0) {
        counts.set(id, left);
        return false;
      }
      counts.delete(id);
      return true;
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
