import { expect } from 'vitest';

/** What the calls of one suite share: ids created by earlier calls, read by later ones. */
export interface ChatContext {
  organizationId: string;
  clientId: string;
  agentId: string;
  otherAgentId: string;
  /** The customer's chat, which the router gave to the agent. */
  chatId: string;
  threadId: string;
  /** A message of the current thread. */
  eventId: string;
  /** A rich message with a postback button (`postback_id: "yes"`). */
  richEventId: string;
  customerId: string;
  /** A customer with no chat, for agent-started chats. */
  otherCustomerId: string;
  /** A chat the agent is not a member of (inactive, never routed). */
  sideChatId: string;
  /** A chat the agent started, for adding, removing and transferring users. */
  agentChatId: string;
  createdCustomerId: string;
  tag: string;
}

export function emptyContext(): ChatContext {
  return {
    organizationId: '',
    clientId: '',
    agentId: '',
    otherAgentId: '',
    chatId: '',
    threadId: '',
    eventId: '',
    richEventId: '',
    customerId: '',
    otherCustomerId: '',
    sideChatId: '',
    agentChatId: '',
    createdCustomerId: '',
    tag: 'sdk-conformance',
  };
}

/** RFC 3339 with microseconds, as the protocol writes times. */
export function protocolNow(): string {
  return new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export const testProperties = { test: { string_property: 'set by an SDK' } };
export const testPropertyNames = { test: ['string_property'] };

export function record(value: unknown): Record<string, unknown> {
  expect(value).toBeTypeOf('object');
  return value as Record<string, unknown>;
}

export function expectArrayField(value: unknown, field: string): unknown[] {
  const list = record(value)[field];
  expect(Array.isArray(list), `${field} is an array`).toBe(true);
  return list as unknown[];
}

export const richMessage = {
  type: 'rich_message',
  template_id: 'quick_replies',
  visibility: 'all',
  elements: [
    {
      title: 'Did that help?',
      buttons: [{ text: 'Yes', type: 'message', value: 'yes', postback_id: 'yes', user_ids: [] }],
    },
  ],
};
