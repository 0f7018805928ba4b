import type { Subjects } from './subjects.ts';

/**
 * Chat-affine routing of chat-store's commands (issue 7). chat-store decides a command on its
 * cached aggregate of the chat and appends with the expected last sequence; when the replicas of
 * a queue group take a chat's commands in turn, the cache is stale every other time and the
 * command is decided twice (a refused append, a re-read of the stream, a second seal). So a
 * command about a chat is sent to one of `chatStorePartitions` subjects, chosen by the chat, and
 * each chat-store replica serves the partitions it owns (chat-store's partition membership).
 *
 * Affinity is a hint, never what correctness rests on: any replica may serve any subject, the
 * append's expected sequence still refuses a stale decision, and a partition nobody serves (its
 * owner died or is handing over) sends the caller to the shared subject (`callService`'s
 * `fallbackSubject`).
 */
export const chatStorePartitions = 64;

/** FNV-1a (32 bits): cheap, and the same in every process and version, as routing needs. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function chatPartition(organizationId: string, chatId: string): number {
  return fnv1a(`${organizationId}\u0000${chatId}`) % chatStorePartitions;
}

/**
 * The chat a chat-store command names, as chat-store reads it (`chat_id`, else `id`, else
 * `chat.id` for resume_chat); undefined for a chat not created yet. A payload whose `id` is not a
 * chat only lands on some partition: harmless, as any replica serves any command.
 */
export function chatIdOfPayload(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const fields = payload as { chat_id?: unknown; id?: unknown; chat?: { id?: unknown } };
  const chatId = fields.chat_id ?? fields.id ?? fields.chat?.id;
  return typeof chatId === 'string' && chatId !== '' ? chatId : undefined;
}

/** Where to send a chat-store command: its chat's partition, or the shared subject for a new chat. */
export function chatStoreExecuteSubject(
  subjects: Subjects,
  organizationId: string | undefined,
  payload: unknown,
): string {
  const chatId = chatIdOfPayload(payload);
  return organizationId && chatId
    ? subjects.chatStorePartition(chatPartition(organizationId, chatId))
    : subjects.chatStoreExecute;
}
