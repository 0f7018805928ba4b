import { describe, expect, it } from 'vitest';
import { anIncomingChat, anIncomingEvent, aRegistration, factsOf } from '../../test/factories.ts';
import { authorType, matchesRegistration } from './matching.ts';

const agent = { userId: 'agent@example.com', userType: 'agent' };

describe('matchesRegistration', () => {
  it('matches only the registered action', () => {
    expect(matchesRegistration(aRegistration(), factsOf(anIncomingEvent()))).toBe(true);
    expect(matchesRegistration(aRegistration(), factsOf(anIncomingChat()))).toBe(false);
  });

  it('applies author_type to the event author', () => {
    const customersOnly = aRegistration({ filters: { author_type: 'customer' } });
    expect(matchesRegistration(customersOnly, factsOf(anIncomingEvent('customer-1')))).toBe(true);
    expect(
      matchesRegistration(
        customersOnly,
        factsOf(anIncomingEvent('agent@example.com'), { requester: agent }),
      ),
    ).toBe(false);
  });

  it('applies chat_presence user_ids to the chat users', () => {
    const withAgent = aRegistration({
      filters: { chat_presence: { user_ids: { values: ['agent@example.com'] } } },
    });
    const withoutAgent = aRegistration({
      filters: { chat_presence: { user_ids: { exclude_values: ['agent@example.com'] } } },
    });
    const facts = factsOf(anIncomingEvent());
    expect(matchesRegistration(withAgent, facts)).toBe(true);
    expect(matchesRegistration(withoutAgent, facts)).toBe(false);
    const alone = { ...facts, recipientUserIds: ['customer-1'] };
    expect(matchesRegistration(withAgent, alone)).toBe(false);
    expect(matchesRegistration(withoutAgent, alone)).toBe(true);
  });

  it('applies chat_presence my_bots to the bots of the owner client present in the chat', () => {
    const myBots = aRegistration({ filters: { chat_presence: { my_bots: true } } });
    const present = (botOwners: Record<string, string>) =>
      factsOf(anIncomingEvent(), {
        recipientUserIds: ['customer-1', 'bot-1'],
        botOwners: new Map(Object.entries(botOwners)),
      });
    expect(matchesRegistration(myBots, present({ 'bot-1': 'client-1' }))).toBe(true);
    expect(matchesRegistration(myBots, present({ 'bot-1': 'another-client' }))).toBe(false);
    expect(matchesRegistration(myBots, present({}))).toBe(false);
    expect(matchesRegistration(myBots, factsOf(anIncomingEvent()))).toBe(false);
    const off = aRegistration({ filters: { chat_presence: { my_bots: false } } });
    expect(matchesRegistration(off, present({}))).toBe(true);
  });

  it('counts a listed user or one of my bots as wanted presence, an excluded user as a veto', () => {
    const facts = (recipientUserIds: string[]) =>
      factsOf(anIncomingEvent(), {
        recipientUserIds,
        botOwners: new Map([['bot-1', 'client-1']]),
      });
    const either = aRegistration({
      filters: { chat_presence: { user_ids: { values: ['supervisor'] }, my_bots: true } },
    });
    expect(matchesRegistration(either, facts(['customer-1', 'bot-1']))).toBe(true);
    expect(matchesRegistration(either, facts(['customer-1', 'supervisor']))).toBe(true);
    expect(matchesRegistration(either, facts(['customer-1']))).toBe(false);
    const butNot = aRegistration({
      filters: { chat_presence: { user_ids: { exclude_values: ['supervisor'] }, my_bots: true } },
    });
    expect(matchesRegistration(butNot, facts(['customer-1', 'bot-1']))).toBe(true);
    expect(matchesRegistration(butNot, facts(['bot-1', 'supervisor']))).toBe(false);
    expect(matchesRegistration(butNot, facts(['customer-1']))).toBe(false);
  });

  it('applies only_my_chats to the chat property source.client_id', () => {
    const mine = aRegistration({ filters: { only_my_chats: true } });
    const chat = (clientId: string) => ({
      version: 1,
      properties: { source: { client_id: clientId } },
      userTypes: {},
    });
    expect(matchesRegistration(mine, factsOf(anIncomingEvent(), { chat: chat('client-1') }))).toBe(
      true,
    );
    expect(matchesRegistration(mine, factsOf(anIncomingEvent(), { chat: chat('other') }))).toBe(
      false,
    );
    expect(matchesRegistration(mine, factsOf(anIncomingEvent()))).toBe(false);
  });

  it('treats services acting on their own as the system source', () => {
    const systemOnly = aRegistration({ filters: { source_type: ['system'] } });
    const clientsOnly = aRegistration({ filters: { source_type: ['other_clients'] } });
    const router = { userId: 'router', userType: 'system' };
    expect(matchesRegistration(systemOnly, factsOf(anIncomingEvent(), { requester: router }))).toBe(
      true,
    );
    expect(
      matchesRegistration(clientsOnly, factsOf(anIncomingEvent(), { requester: router })),
    ).toBe(false);
    expect(matchesRegistration(systemOnly, factsOf(anIncomingEvent()))).toBe(false);
    expect(matchesRegistration(clientsOnly, factsOf(anIncomingEvent()))).toBe(true);
  });

  it("tells my_client from other_clients by the requester's client, both when it has none", () => {
    const mine = aRegistration({ filters: { source_type: ['my_client'] } });
    const others = aRegistration({ filters: { source_type: ['other_clients'] } });
    const viaClient = (clientId: string) =>
      factsOf(anIncomingEvent(), { requester: { ...agent, clientId } });
    expect(matchesRegistration(mine, viaClient('client-1'))).toBe(true);
    expect(matchesRegistration(others, viaClient('client-1'))).toBe(false);
    expect(matchesRegistration(mine, viaClient('client-2'))).toBe(false);
    expect(matchesRegistration(others, viaClient('client-2'))).toBe(true);
    // A personal access token names no client: this app or another, so both.
    expect(matchesRegistration(mine, viaClient(''))).toBe(true);
    expect(matchesRegistration(others, viaClient(''))).toBe(true);
  });

  it('applies agent_ids to routing_status_set', () => {
    const registration = aRegistration({
      action: 'routing_status_set',
      filters: { agent_ids: ['agent@example.com'] },
    });
    const notification = (agentId: string) => ({
      action: 'routing_status_set',
      payload: { agent_id: agentId, status: 'accepting_chats' },
      recipientUserIds: [],
    });
    expect(matchesRegistration(registration, factsOf(notification('agent@example.com')))).toBe(
      true,
    );
    expect(matchesRegistration(registration, factsOf(notification('b@example.com')))).toBe(false);
  });
});

describe('authorType', () => {
  it('knows chat users from the snapshot, whoever asked', () => {
    const chat = {
      version: 2,
      properties: {},
      userTypes: { 'agent@example.com': 'agent' as const },
    };
    expect(authorType(factsOf(anIncomingEvent('agent@example.com'), { chat }))).toBe('agent');
  });

  it('counts a bot requester as an agent', () => {
    const bot = { userId: 'bot-1', userType: 'bot' };
    expect(authorType(factsOf(anIncomingEvent('bot-1'), { requester: bot }))).toBe('agent');
  });

  it('gives system messages and strangers no author type', () => {
    expect(authorType(factsOf(anIncomingEvent('someone-else')))).toBeUndefined();
    const systemMessage = anIncomingEvent('x', { author_id: undefined, type: 'system_message' });
    expect(authorType(factsOf(systemMessage))).toBeUndefined();
  });
});
