import type { EventRequest, MethodPayload } from '@threadline/protocol';
import type { AssignAgentPayload, ChatCommand, PayloadCommandType } from '../chat.commands.ts';
import type { Actor } from '../chat.types.ts';

export const organizationId = 'org-1';
export const at = '2025-11-25T10:00:00.000000Z';
export const later = '2025-11-25T10:05:00.000000Z';

export function aCustomer(overrides: Partial<Actor> = {}): Actor {
  return {
    organizationId,
    id: 'customer-1',
    type: 'customer',
    name: 'Carol Customer',
    email: 'carol@example.com',
    avatar: '',
    groupIds: [0],
    role: '',
    ...overrides,
  };
}

export function anAgent(overrides: Partial<Actor> = {}): Actor {
  return {
    organizationId,
    id: 'agent@example.com',
    type: 'agent',
    name: 'Adam Agent',
    email: 'agent@example.com',
    avatar: '',
    groupIds: [0],
    role: 'normal',
    ...overrides,
  };
}

export function theRouter(overrides: Partial<Actor> = {}): Actor {
  return {
    ...anAgent(),
    id: 'router',
    type: 'system',
    name: '',
    email: '',
    groupIds: [],
    role: '',
    ...overrides,
  };
}

export function aMessage(text = 'hello', overrides: Partial<EventRequest> = {}): EventRequest {
  return { type: 'message', text, ...overrides } as EventRequest;
}

export function startChat(
  actor: Actor,
  payload: MethodPayload<'start_chat'> = {},
  ids: { chatId?: string; threadId?: string } = {},
): ChatCommand {
  return {
    type: 'start_chat',
    actor,
    at,
    chatId: ids.chatId ?? 'CHAT000001',
    threadId: ids.threadId ?? 'THREAD0001',
    payload,
  };
}

export function resumeChat(
  actor: Actor,
  chat: Partial<MethodPayload<'resume_chat'>['chat']> = {},
  threadId = 'THREAD0002',
  extra: Omit<MethodPayload<'resume_chat'>, 'chat'> = {},
): ChatCommand {
  return {
    type: 'resume_chat',
    actor,
    at: later,
    threadId,
    payload: { chat: { id: 'CHAT000001', ...chat }, ...extra },
  };
}

export function sendEvent(
  actor: Actor,
  event: EventRequest = aMessage(),
  extra: Partial<MethodPayload<'send_event'>> = {},
): ChatCommand {
  return {
    type: 'send_event',
    actor,
    at: later,
    payload: { chat_id: 'CHAT000001', event, ...extra },
  };
}

export function deactivateChat(
  actor: Actor,
  extra: Partial<MethodPayload<'deactivate_chat'>> = {},
): ChatCommand {
  return { type: 'deactivate_chat', actor, at: later, payload: { id: 'CHAT000001', ...extra } };
}

export function assignAgent(
  agent: Actor = anAgent(),
  overrides: Partial<AssignAgentPayload> = {},
): ChatCommand {
  return {
    type: 'assign_agent',
    actor: theRouter(),
    at: later,
    payload: {
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
      agent: { id: agent.id, name: agent.name, email: agent.email, avatar: agent.avatar },
      ...overrides,
    },
  };
}

/** Any command whose payload is all it needs (see `payloadCommandTypes`), at `later` by default. */
export function aCommand<T extends PayloadCommandType>(
  type: T,
  actor: Actor,
  payload: MethodPayload<T>,
  when = later,
): ChatCommand {
  return { type, actor, at: when, payload } as ChatCommand;
}

/** A rich message with one card holding a button per postback id. */
export function aRichMessage(
  postbackIds: string[] = ['yes'],
  overrides: Partial<EventRequest> = {},
) {
  return {
    type: 'rich_message',
    template_id: 'quick_replies',
    elements: [
      {
        title: 'Pick one',
        buttons: postbackIds.map((id) => ({
          text: id,
          type: 'message',
          value: id,
          postback_id: id,
          user_ids: [],
        })),
      },
    ],
    ...overrides,
  } as EventRequest;
}
