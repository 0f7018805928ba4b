import type { MethodPayload } from '@threadline/protocol';
import { z } from 'zod';
import type { Actor } from './chat.types.ts';

/**
 * The router's internal command (docs/internal-contracts.md): add the agent it picked to the chat
 * and post `routing.assigned`, only while that thread is still the active one.
 */
export const assignAgentSchema = z.object({
  chat_id: z.string().min(1).max(64),
  thread_id: z.string().min(1).max(64),
  agent: z.object({
    id: z.string().min(1),
    name: z.string().default(''),
    email: z.string().default(''),
    avatar: z.string().default(''),
  }),
});
export type AssignAgentPayload = z.infer<typeof assignAgentSchema>;

/**
 * The gateway's internal command after `ban_customer` (spec §7.12): close the banned customer's
 * active thread with the `customer_banned` system message, only while that thread is still active.
 */
export const closeThreadForBanSchema = z.object({
  chat_id: z.string().min(1).max(64),
  thread_id: z.string().min(1).max(64),
  customer_id: z.string().min(1),
  banned_by: z.object({ id: z.string().min(1), name: z.string().default('') }),
  days: z.number().int().min(0),
});
export type CloseThreadForBanPayload = z.infer<typeof closeThreadForBanSchema>;

/** Common to every command: who, and when (`at` is the protocol timestamp of `issued_at`). */
interface CommandBase {
  actor: Actor;
  at: string;
}

/**
 * Protocol methods whose command is just the validated payload (ids, if any, are in it). Listed
 * once here: the command types, their parsing and the handler's routing all derive from it.
 */
export const payloadCommandTypes = [
  'send_event',
  'deactivate_chat',
  'add_user_to_chat',
  'remove_user_from_chat',
  'follow_chat',
  'unfollow_chat',
  'update_chat_properties',
  'delete_chat_properties',
  'update_thread_properties',
  'delete_thread_properties',
  'update_event_properties',
  'delete_event_properties',
  'tag_thread',
  'untag_thread',
  'mark_events_as_seen',
  'send_rich_message_postback',
  'delete_event',
  'request_thread_summary',
  'send_typing_indicator',
  'send_thinking_indicator',
  'send_sneak_peek',
  'send_event_preview',
  'transfer_chat',
] as const;

export type PayloadCommandType = (typeof payloadCommandTypes)[number];

export type PayloadCommand<T extends PayloadCommandType = PayloadCommandType> = {
  [M in T]: CommandBase & { type: M; payload: MethodPayload<M> };
}[T];

/** Ids arrive in the command: the decider never draws random numbers or reads a clock. */
export type ChatCommand =
  | (CommandBase & {
      type: 'start_chat';
      chatId: string;
      threadId: string;
      payload: MethodPayload<'start_chat'>;
    })
  | (CommandBase & { type: 'resume_chat'; threadId: string; payload: MethodPayload<'resume_chat'> })
  | (CommandBase & { type: 'assign_agent'; payload: AssignAgentPayload })
  | (CommandBase & { type: 'close_thread_for_ban'; payload: CloseThreadForBanPayload })
  | PayloadCommand;

export type ChatCommandType = ChatCommand['type'];

export const chatCommandTypes: readonly ChatCommandType[] = [
  'start_chat',
  'resume_chat',
  'assign_agent',
  'close_thread_for_ban',
  ...payloadCommandTypes,
];

export function isPayloadCommandType(type: string): type is PayloadCommandType {
  return (payloadCommandTypes as readonly string[]).includes(type);
}
