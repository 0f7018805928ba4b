import {
  createClient,
  createCustomer,
  findOrganizationByName,
  issueAgentToken,
  issueCustomerToken,
  registerProperty,
} from '@threadline/accounts';
import type { Command } from '@threadline/contracts';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HttpAnswer, webCall } from './clients.ts';
import { connectAgent, useConfigurationWorld } from './configuration-client.ts';

const world = useConfigurationWorld();
const chat = { id: 'PJ0MRSHTDG', thread: 'K600PKZON8', event: 'K600PKZON8_1' };
let forwarded: Command[] = [];
/** The widget client's customer and an agent token issued to that client (its owner). */
let customer = '';
let ownAgent = '';

beforeAll(async () => {
  const { harness } = world;
  forwarded = harness.respond(harness.subjects.chatStoreExecute, () => ({}));
  const owner = harness.widget.id;
  await registerProperty(harness.db, harness.organization.id, {
    ownerClientId: owner,
    registration: {
      name: 'stage',
      type: 'string',
      access: {
        chat: { agent: ['read', 'write'], customer: ['read'] },
        event: { agent: ['write'] },
      },
      domain: ['new', 'won'],
    },
  });
  const person = await createCustomer(harness.db, { organizationId: harness.organization.id });
  const issued = await issueCustomerToken(harness.db, {
    organizationId: harness.organization.id,
    customerId: person.id,
    clientId: owner,
  });
  customer = `Bearer ${issued.accessToken}`;
  const agentToken = await issueAgentToken(harness.db, {
    organizationId: harness.organization.id,
    agentId: harness.agent.agent.id,
    clientId: owner,
  });
  ownAgent = `Bearer ${agentToken.accessToken}`;
});

beforeEach(() => {
  forwarded.length = 0;
});

function agentCall(authorization: string, action: string, body: unknown): Promise<HttpAnswer> {
  return webCall(world.harness, 'agent', action, { authorization, body });
}

function customerCall(action: string, body: unknown): Promise<HttpAnswer> {
  return webCall(world.harness, 'customer', action, { authorization: customer, body });
}

/** Asserts the request was refused with `type` and never reached chat-store. */
function expectRefused(answer: HttpAnswer, type: string, status: number): void {
  expect(answer).toMatchObject({ status, body: { error: { type } } });
  expect(forwarded).toHaveLength(0);
}

describe('chat, thread and event property access', () => {
  it('forwards the built-in test namespace from anyone, agent or customer', async () => {
    const properties = { test: { string_property: 'set', int_property: 3 } };
    expect(
      (await agentCall(world.admin, 'update_chat_properties', { id: chat.id, properties })).status,
    ).toBe(200);
    expect(
      (
        await customerCall('update_event_properties', {
          chat_id: chat.id,
          thread_id: chat.thread,
          event_id: chat.event,
          properties,
        })
      ).status,
    ).toBe(200);
    expect(forwarded.map((command) => command.action)).toEqual([
      'update_chat_properties',
      'update_event_properties',
    ]);
  });

  it("lets the owning client's token write its private property, refusing a personal access token", async () => {
    const properties = { [world.harness.widget.id]: { stage: 'won' } };
    expectRefused(
      await agentCall(world.admin, 'update_chat_properties', { id: chat.id, properties }),
      'authorization',
      403,
    );
    const own = await agentCall(ownAgent, 'update_chat_properties', { id: chat.id, properties });
    expect(own.status).toBe(200);
    expect(JSON.parse(forwarded[0]?.payloadJson ?? '{}')).toEqual({ id: chat.id, properties });
  });

  it('lets other clients write once the property is published with write access', async () => {
    const { harness } = world;
    const name = 'published_stage';
    await registerProperty(harness.db, harness.organization.id, {
      ownerClientId: harness.widget.id,
      registration: { name, type: 'int', access: { thread: { agent: ['read', 'write'] } } },
    });
    const write = () =>
      agentCall(world.admin, 'update_thread_properties', {
        chat_id: chat.id,
        thread_id: chat.thread,
        properties: { [harness.widget.id]: { [name]: 2 } },
      });
    expectRefused(await write(), 'authorization', 403);
    const publish = await webCall(harness, 'configuration', 'publish_property', {
      authorization: world.admin,
      body: { name, owner_client_id: harness.widget.id, access_type: ['read', 'write'] },
    });
    expect(publish.status).toBe(200);
    expect((await write()).status).toBe(200);
    expect(forwarded).toHaveLength(1);
  });

  it('refuses a customer where only agents may write, and deleting what it may not write', async () => {
    const namespace = world.harness.widget.id;
    const answer = await customerCall('update_chat_properties', {
      id: chat.id,
      properties: { [namespace]: { stage: 'new' } },
    });
    expectRefused(answer, 'authorization', 403);
    expect((answer.body.error as { message: string }).message).toMatch(
      /customers may not write property .*\.stage of a chat/,
    );
    expectRefused(
      await customerCall('delete_chat_properties', {
        id: chat.id,
        properties: { [namespace]: ['stage'] },
      }),
      'authorization',
      403,
    );
  });

  it('answers validation for an unknown property, a missing location or a value outside the domain', async () => {
    const namespace = world.harness.widget.id;
    const update = (properties: unknown) =>
      agentCall(ownAgent, 'update_chat_properties', { id: chat.id, properties });
    expectRefused(await update({ [namespace]: { nope: 'x' } }), 'validation', 400);
    expectRefused(await update({ [namespace]: { stage: 'lost' } }), 'validation', 400);
    expectRefused(
      await agentCall(ownAgent, 'delete_thread_properties', {
        chat_id: chat.id,
        thread_id: chat.thread,
        properties: { [namespace]: ['stage'] },
      }),
      'validation',
      400,
    );
  });

  it('keeps rating to customers, as LiveChat does, so the customer SDK can rate a chat', async () => {
    const rating = { rating: { score: 1, comment: 'Quick!' } };
    const thread = { chat_id: chat.id, thread_id: chat.thread };
    expectRefused(
      await agentCall(world.admin, 'update_thread_properties', { ...thread, properties: rating }),
      'authorization',
      403,
    );
    expect(
      (await customerCall('update_thread_properties', { ...thread, properties: rating })).status,
    ).toBe(200);
    expect(
      (
        await customerCall('delete_thread_properties', {
          ...thread,
          properties: { rating: ['score'] },
        })
      ).status,
    ).toBe(200);
    expect(forwarded).toHaveLength(2);
  });

  it('checks the properties start_chat, resume_chat and send_event carry', async () => {
    const namespace = world.harness.widget.id;
    expectRefused(
      await customerCall('start_chat', { chat: { properties: { routing: { continuous: true } } } }),
      'authorization',
      403,
    );
    expectRefused(
      await agentCall(world.admin, 'resume_chat', {
        chat: { id: chat.id, thread: { properties: { [namespace]: { stage: 'new' } } } },
      }),
      'validation',
      400,
    );
    expectRefused(
      await agentCall(world.admin, 'send_event', {
        chat_id: chat.id,
        event: { type: 'message', text: 'hi', properties: { [namespace]: { stage: 'new' } } },
      }),
      'authorization',
      403,
    );
    const started = await customerCall('start_chat', {
      chat: {
        properties: { test: { bool_property: true } },
        thread: {
          properties: { rating: { comment: 'ok' } },
          events: [{ type: 'message', text: 'Hello', properties: { test: { int_property: 1 } } }],
        },
      },
    });
    expect(started.status).toBe(200);
    expect(forwarded.map((command) => command.action)).toEqual(['start_chat']);
  });

  it("never lets a property of another organization's client be written", async () => {
    const { harness } = world;
    const elsewhere = (await findOrganizationByName(harness.db, 'Elsewhere'))?.id as string;
    const other = await createClient(harness.db, {
      organizationId: elsewhere,
      name: 'Elsewhere widget',
    });
    await registerProperty(harness.db, elsewhere, {
      ownerClientId: other.id,
      registration: {
        name: 'secret',
        type: 'string',
        access: { chat: { agent: ['read', 'write'] } },
      },
    });
    // Published there for everyone, and still unknown here: configurations are per organization.
    expect(
      (
        await webCall(harness, 'configuration', 'publish_property', {
          authorization: world.stranger,
          body: { name: 'secret', owner_client_id: other.id, access_type: ['read', 'write'] },
        })
      ).status,
    ).toBe(200);
    expectRefused(
      await agentCall(world.admin, 'update_chat_properties', {
        id: chat.id,
        properties: { [other.id]: { secret: 'x' } },
      }),
      'validation',
      400,
    );
  });

  it('answers over RTM with the protocol error frame', async () => {
    const socket = await connectAgent(world.harness, world.admin);
    const response = await socket.request('update_chat_properties', {
      id: chat.id,
      properties: { routing: { unassigned: true } },
    });
    expect(response).toMatchObject({
      type: 'response',
      success: false,
      payload: { error: { type: 'authorization' } },
    });
    expect(forwarded).toHaveLength(0);
  });
});
