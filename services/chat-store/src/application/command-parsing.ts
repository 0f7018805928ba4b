import type { Command, Requester } from '@threadline/contracts';
import {
  formatTimestamp,
  type MethodName,
  type MethodPayload,
  ProtocolError,
  parsePayload,
} from '@threadline/protocol';
import type { z } from 'zod';
import {
  assignAgentSchema,
  type ChatCommand,
  type ChatCommandType,
  chatCommandTypes,
  closeThreadForBanSchema,
  closeThreadForRoutingSchema,
  type PayloadCommand,
  postSystemMessageSchema,
  unassignAgentSchema,
} from '../domain/chat.commands.ts';
import type { Actor } from '../domain/chat.types.ts';

/** Where new ids and the fallback time come from: production uses random ids and the clock. */
export interface CommandContext {
  newChatId: () => string;
  newThreadId: () => string;
  now: () => Date;
}

/**
 * The gateway has validated the payload already; it is parsed again here because a service
 * never trusts its callers' shapes, and because parsing applies the schema's defaults.
 */
export function parseChatCommand(command: Command, context: CommandContext): ChatCommand {
  const type = chatCommandType(command.action);
  const actor = toActor(command.requester);
  const at = formatTimestamp(issuedAt(command.issuedAt, context.now));
  const json = parseJson(command.payloadJson);
  switch (type) {
    case 'start_chat':
      return {
        type,
        actor,
        at,
        chatId: context.newChatId(),
        threadId: context.newThreadId(),
        payload: parsePayload('start_chat', json),
      };
    case 'resume_chat':
      return {
        type,
        actor,
        at,
        threadId: context.newThreadId(),
        payload: parsePayload(type, json),
      };
    case 'assign_agent':
      return { type, actor, at, payload: parseWith(assignAgentSchema, json) };
    case 'close_thread_for_ban':
      return { type, actor, at, payload: parseWith(closeThreadForBanSchema, json) };
    case 'close_thread_for_routing':
      return { type, actor, at, payload: parseWith(closeThreadForRoutingSchema, json) };
    case 'unassign_agent':
      return { type, actor, at, payload: parseWith(unassignAgentSchema, json) };
    case 'post_system_message':
      return { type, actor, at, payload: parseWith(postSystemMessageSchema, json) };
    default:
      return { type, actor, at, payload: parsePayload(type, json) } as PayloadCommand;
  }
}

export function chatCommandType(action: string): ChatCommandType {
  if ((chatCommandTypes as readonly string[]).includes(action)) return action as ChatCommandType;
  throw new ProtocolError('validation', `Unknown chat-store command: ${action || '(none)'}`);
}

/** The chat a command acts on; start_chat's comes with the command. */
export function chatIdOf(command: ChatCommand): string {
  switch (command.type) {
    case 'start_chat':
      return command.chatId;
    case 'resume_chat':
      return command.payload.chat.id;
    case 'assign_agent':
    case 'close_thread_for_ban':
    case 'close_thread_for_routing':
    case 'unassign_agent':
    case 'post_system_message':
      return command.payload.chat_id;
    default:
      return 'chat_id' in command.payload ? command.payload.chat_id : command.payload.id;
  }
}

/** The requester as the domain sees it. Bots are agents; the gateway never sends a blank one. */
export function toActor(requester: Requester | undefined): Actor {
  if (!requester?.organizationId || !requester.userId) {
    throw new ProtocolError('validation', 'Command without a requester');
  }
  const type = actorType(requester.userType);
  return {
    organizationId: requester.organizationId,
    id: requester.userId,
    type,
    name: requester.name,
    email: requester.email,
    avatar: requester.avatar,
    groupIds: requester.groupIds,
    role: requester.role,
    ...(requester.clientId ? { clientId: requester.clientId } : {}),
    ...(requester.allChats && type === 'agent' ? { allChats: true } : {}),
  };
}

function actorType(userType: string): Actor['type'] {
  switch (userType) {
    case 'agent':
    case 'bot':
      return 'agent';
    case 'customer':
      return 'customer';
    case 'system':
      return 'system';
    default:
      throw new ProtocolError('validation', `Unknown requester type: ${userType || '(none)'}`);
  }
}

/** Payloads of queries, with the same parsing as commands. */
export function parseMethodPayload<M extends MethodName>(
  method: M,
  payloadJson: string,
): MethodPayload<M> {
  return parsePayload(method, parseJson(payloadJson));
}

function parseJson(payloadJson: string): unknown {
  if (!payloadJson) return {};
  try {
    return JSON.parse(payloadJson);
  } catch {
    throw new ProtocolError('validation', 'Wrong format of request: payload is not JSON');
  }
}

function parseWith<Schema extends z.ZodType>(schema: Schema, json: unknown): z.infer<Schema> {
  const result = schema.safeParse(json ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new ProtocolError('validation', `Wrong format of request: ${where}${issue?.message ?? ''}`);
}

/** Time enters through the command; a command without a usable `issued_at` is stamped on arrival. */
function issuedAt(value: string, now: () => Date): Date {
  const date = value ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : now();
}
