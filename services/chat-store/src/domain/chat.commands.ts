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

/**
 * Why the router takes a chat away from an agent (spec §7.6): the agent's connection was lost,
 * they signed out (themselves or remotely), their account was deleted or suspended, or anything
 * else (`other`: a supervisor set them not accepting chats, …). These name the `routing.*` system
 * messages (`routing.assigned_<reason>`, `routing.unassigned_<reason>`,
 * `routing.archived_<reason>`) and are the `user_removed_from_chat` reason.
 */
export const agentLossReasons = [
  'disconnected',
  'signed_out',
  'remotely_signed_out',
  'deleted',
  'other',
] as const;
export type AgentLossReason = (typeof agentLossReasons)[number];

const chatThread = {
  chat_id: z.string().min(1).max(64),
  thread_id: z.string().min(1).max(64),
};
/** Minutes of inactivity, for the `%duration%` of the inactivity messages. */
const inactiveMinutes = z.number().int().min(0).max(100_000);
/**
 * The router's timers fire on what the router last saw of the thread; a message that crossed the
 * timer must win. With `quiet_since` (RFC 3339) chat-store checks, on the thread as it is now,
 * that nobody the timer waits on wrote after it, else refuses with `not_allowed`.
 */
const quietSince = z.iso.datetime({ offset: true });

/**
 * The router's internal command (docs/internal-contracts.md): close the active thread as the
 * system. `inactive` posts `routing.idle` then `routing.archived_inactive`; `offline` posts
 * `routing.archived_offline` (nobody to take the chat, no queue); a loss reason posts
 * `routing.archived_<reason>` naming `agent_id`, the agent whose loss left the chat alone.
 */
export const closeThreadForRoutingSchema = z
  .object({
    ...chatThread,
    reason: z.enum([...agentLossReasons, 'inactive', 'customer_inactive', 'offline']),
    agent_id: z.string().min(1).optional(),
    inactive_minutes: inactiveMinutes.optional(),
    quiet_since: quietSince.optional(),
  })
  .refine(
    (value) =>
      (value.reason !== 'inactive' && value.reason !== 'customer_inactive') ||
      value.inactive_minutes !== undefined,
    { message: 'inactive_minutes is required for reasons inactive', path: ['inactive_minutes'] },
  );
export type CloseThreadForRoutingPayload = z.infer<typeof closeThreadForRoutingSchema>;

/**
 * The router's internal command: take the chat away from `agent_id` for `reason` and, with
 * `assign_to`, give it to that agent (`routing.assigned_<reason>`, `chat_transferred` reason
 * `assigned`, or `inactive` when the agent did not answer in time); without it the chat goes back
 * to its groups' queue (`routing.unassigned_<reason>`, `chat_transferred` reason `unassigned`).
 */
export const unassignAgentSchema = z
  .object({
    ...chatThread,
    agent_id: z.string().min(1),
    reason: z.enum([...agentLossReasons, 'inactive']),
    inactive_minutes: inactiveMinutes.optional(),
    quiet_since: quietSince.optional(),
    assign_to: z
      .object({
        id: z.string().min(1),
        name: z.string().default(''),
        email: z.string().default(''),
        avatar: z.string().default(''),
      })
      .optional(),
    queue: z
      .object({
        position: z.number().int().min(1),
        wait_time: z.number().int().min(0),
        queued_at: z.string().min(1),
      })
      .optional(),
  })
  .refine((value) => value.reason !== 'inactive' || value.assign_to !== undefined, {
    message: 'reason inactive needs assign_to (there is no routing.unassigned_inactive)',
    path: ['assign_to'],
  })
  .refine((value) => value.reason !== 'inactive' || value.inactive_minutes !== undefined, {
    message: 'inactive_minutes is required for reason inactive',
    path: ['inactive_minutes'],
  });
export type UnassignAgentPayload = z.infer<typeof unassignAgentSchema>;

/**
 * The router's internal command: post a system message in the active thread (visible to all, or
 * to agents only with `recipients: agents`), e.g. a warning before a customer timeout.
 */
export const postSystemMessageSchema = z.object({
  ...chatThread,
  system_message_type: z.string().min(1).max(64),
  text: z.string().max(1000).default(''),
  text_vars: z.record(z.string(), z.string()).default({}),
  recipients: z.enum(['all', 'agents']).default('all'),
});
export type PostSystemMessagePayload = z.infer<typeof postSystemMessageSchema>;

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
  | (CommandBase & { type: 'close_thread_for_routing'; payload: CloseThreadForRoutingPayload })
  | (CommandBase & { type: 'unassign_agent'; payload: UnassignAgentPayload })
  | (CommandBase & { type: 'post_system_message'; payload: PostSystemMessagePayload })
  | PayloadCommand;

export type ChatCommandType = ChatCommand['type'];

export const chatCommandTypes: readonly ChatCommandType[] = [
  'start_chat',
  'resume_chat',
  'assign_agent',
  'close_thread_for_ban',
  'close_thread_for_routing',
  'unassign_agent',
  'post_system_message',
  ...payloadCommandTypes,
];

export function isPayloadCommandType(type: string): type is PayloadCommandType {
  return (payloadCommandTypes as readonly string[]).includes(type);
}
