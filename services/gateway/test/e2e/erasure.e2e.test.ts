import { createWebClient, type WebApi } from '@threadline/sdk';
import { eventually } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTeam,
  type E2eWorld,
  isChat,
  startE2eWorld,
  startWebhookReceiver,
} from './e2e-world.ts';

/**
 * Erasure (docs/erasure.md) through the whole platform: a customer chats and their webhooks are
 * delivered; an owner erases them; then no read path of the protocol returns anything of theirs,
 * the audit says who and when, and another organization is untouched.
 */

let world: E2eWorld;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const word = `pangolin${Date.now()}`;
const pushTimeoutMs = 20_000;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  world = await startE2eWorld({
    name: 'erasure',
    replicas: 1,
    environment: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8,::1/128' },
  });
});

afterAll(async () => {
  await world?.stop();
  receiver?.server.close();
});

async function organization(name: string) {
  const { organizationId, clientId, agent } = await createTeam(world.accounts, name);
  const owner = await agent('owner', 'owner');
  const normal = await agent('normal', 'normal');
  const web = (who: typeof owner, api: WebApi, version = '3.6') =>
    createWebClient({
      baseUrl: world.platform.gatewayUrls[0]!,
      api,
      version,
      credentials: { accountId: who.agent.accountId, personalAccessToken: who.pat },
    });
  return { organizationId, clientId, owner, normal, web };
}

/** A customer with a name and e-mail who writes `word` to the organization's owner. */
async function customerChat(team: Awaited<ReturnType<typeof organization>>) {
  const owner = await world.connectAgent(team.owner);
  await owner.request('set_routing_status', { status: 'accepting_chats' });
  const { socket, customerId } = await world.connectCustomer(team.organizationId, team.clientId);
  await socket.request('update_customer', { name: 'Erin Erasable', email: 'erin@example.com' });
  const started = await socket.request('start_chat', {
    chat: { thread: { events: [{ type: 'message', text: `My secret word is ${word}` }] } },
  });
  const chatId = String(started.chat_id);
  await owner.waitForPush('incoming_chat', isChat(chatId), pushTimeoutMs);
  await socket.request('send_event', {
    chat_id: chatId,
    event: { type: 'message', text: `Again: ${word}` },
  });
  await owner.request('send_event', {
    chat_id: chatId,
    event: { type: 'message', text: 'The agent answer stays' },
  });
  return { socket, customerId, chatId };
}

const personal = [word, 'Erin Erasable', 'erin@example.com'];

function expectNoneOf(value: unknown) {
  const text = JSON.stringify(value);
  for (const item of personal) expect(text).not.toContain(item);
}

describe('erase_customer', () => {
  it('leaves no trace of the customer in any read path, and records who erased them', async () => {
    const team = await organization('Acme');
    const other = await organization('Other');
    const configuration = team.web(team.owner, 'configuration');
    const webhookIds: string[] = [];
    for (const action of ['incoming_chat', 'incoming_event']) {
      const { id } = await configuration.call('register_webhook', {
        action,
        secret_key: 'secret',
        url: receiver.url,
        owner_client_id: team.clientId,
        type: 'license',
      });
      webhookIds.push(String(id));
    }
    await configuration.call('enable_license_webhooks', { owner_client_id: team.clientId });

    const erin = await customerChat(team);
    const otherChat = await customerChat(other);
    await eventually(() => {
      const bodies = receiver.received.map((webhook) => JSON.stringify(webhook.body));
      expect(bodies.filter((body) => body.includes(word)).length).toBeGreaterThanOrEqual(2);
    }, pushTimeoutMs);

    // Normal agents may not erase; another organization's owner does not find the customer.
    await expect(
      team
        .web(team.normal, 'configuration')
        .call('erase_customer', { customer_id: erin.customerId }),
    ).rejects.toMatchObject({ type: 'authorization' });
    await expect(
      other.web(other.owner, 'configuration').call('erase_customer', {
        customer_id: erin.customerId,
      }),
    ).rejects.toMatchObject({ type: 'not_found' });

    const erasure = await configuration.call('erase_customer', { customer_id: erin.customerId });
    expect(erasure).toMatchObject({
      customer_id: erin.customerId,
      erased_by: team.owner.agent.id,
      key_destroyed: true,
      chats_reprojected: 1,
      customer_record_erased: true,
    });

    const agentApi = team.web(team.owner, 'agent');
    const chat = await agentApi.call('get_chat', { chat_id: erin.chatId });
    expectNoneOf(chat);
    expect(JSON.stringify(chat)).toContain('The agent answer stays');
    expectNoneOf(await agentApi.call('list_chats', {}));
    const archives = await agentApi.call('list_archives', { filters: { query: word } });
    expect(archives.chats).toEqual([]);
    expectNoneOf(await agentApi.call('get_customer', { id: erin.customerId }));
    // list_customers is of 3.5 and earlier.
    expectNoneOf(await team.web(team.owner, 'agent', '3.5').call('list_customers', {}));
    await eventually(async () => {
      for (const webhookId of webhookIds) {
        const log = await configuration.call('list_webhook_deliveries', {
          webhook_id: webhookId,
          owner_client_id: team.clientId,
          include_payload: true,
        });
        expect(JSON.stringify(log)).toContain('customer_erased');
        expectNoneOf(log);
      }
    }, pushTimeoutMs);

    const audit = await configuration.call('list_customer_erasures', {});
    expect(audit.erasures).toEqual([erasure]);
    expectNoneOf(audit);

    // The erased customer cannot write again; the other organization keeps its customer whole.
    await expect(
      erin.socket.request('send_event', {
        chat_id: erin.chatId,
        event: { type: 'message', text: 'still here?' },
      }),
    ).rejects.toMatchObject({ type: 'not_allowed' });
    const otherAgentApi = other.web(other.owner, 'agent');
    const kept = await otherAgentApi.call('get_chat', { chat_id: otherChat.chatId });
    expect(JSON.stringify(kept)).toContain(word);
    const keptCustomer = await otherAgentApi.call('get_customer', { id: otherChat.customerId });
    expect(keptCustomer).toMatchObject({ name: 'Erin Erasable', email: 'erin@example.com' });
  });
});
