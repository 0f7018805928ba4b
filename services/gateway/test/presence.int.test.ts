import type { Command } from '@threadline/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { loggedInAgent } from './clients.ts';
import { eventually, type Harness, startHarness } from './harness.ts';
import { TestSocket } from './rtm-client.ts';

/**
 * The gateway's heartbeat to the router: every interval, the agents logged in over RTM on it,
 * under the same gateway id its `agent_connected` named (docs/internal-contracts.md).
 */
let harness: Harness;

afterAll(async () => {
  await TestSocket.closeAll();
  await harness?.close();
});

interface Heartbeat {
  gateway_id: string;
  sessions: { organization_id: string; agent_id: string }[];
}

describe('presence heartbeat', () => {
  it('lists the agents logged in here while they are, under the gateway’s id', async () => {
    harness = await startHarness({ PRESENCE_HEARTBEAT_MS: '100' });
    harness.respond(harness.subjects.chatStoreQuery, () => ({ chats_summary: [], found_chats: 0 }));
    const router: Command[] = harness.respond(harness.subjects.routerExecute, () => ({}));
    const heartbeats: Heartbeat[] = [];
    const subscription = harness.nats.subscribe(harness.subjects.agentPresence, {
      callback: (_error, message) => {
        heartbeats.push(message.json<Heartbeat>());
      },
    });

    const socket = await loggedInAgent(harness);
    const connected = router.find((command) => command.action === 'agent_connected');
    const gatewayId = JSON.parse(connected!.payloadJson).gateway_id;
    const listing = (heartbeat: Heartbeat) =>
      heartbeat.sessions.some((session) => session.agent_id === 'agent@harness.test');
    await eventually(() => heartbeats.some(listing));
    expect(heartbeats.find(listing)).toEqual({
      gateway_id: gatewayId,
      sessions: [{ organization_id: harness.organization.id, agent_id: 'agent@harness.test' }],
    });

    socket.close();
    await socket.closed;
    // One heartbeat may have been on its way; after that the agent is listed no more (and a
    // gateway with nobody logged in has nothing to renew, so it sends nothing).
    const seen = heartbeats.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(heartbeats.slice(seen + 1).some(listing)).toBe(false);
    subscription.unsubscribe();
  });
});
