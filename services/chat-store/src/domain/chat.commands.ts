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

/** Common to every command: who, and when (`at` is the protocol timestamp of `issued_at`). */
interface CommandBase {
  actor: Actor;
  at: string;
}

/** Ids arrive in the command: the decider never draws random numbers or reads a clock. */
export type ChatCommand =
  | (CommandBase & {
      type: 'start_chat';
      chatId: string;
      threadId: string;
      payload: MethodPayload<'start_chat'>;
    })
  | (CommandBase & { type: 'resume_chat'; threadId: string; payload: MethodPayload<'resume_chat'> })
  | (CommandBase & { type: 'send_event'; payload: MethodPayload<'send_event'> })
  | (CommandBase & { type: 'deactivate_chat'; payload: MethodPayload<'deactivate_chat'> })
  | (CommandBase & { type: 'assign_agent'; payload: AssignAgentPayload });

export type ChatCommandType = ChatCommand['type'];

export const chatCommandTypes: readonly ChatCommandType[] = [
  'start_chat',
  'resume_chat',
  'send_event',
  'deactivate_chat',
  'assign_agent',
];
