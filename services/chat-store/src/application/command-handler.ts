import type { Command } from '@threadline/contracts';
import { ProtocolError } from '@threadline/protocol';
import type { Logger } from '@threadline/runtime';
import type { ChatCommand } from '../domain/chat.commands.ts';
import { decide } from '../domain/chat.decide.ts';
import { notificationsFor } from '../domain/chat.notifications.ts';
import { responseFor } from '../domain/chat.responses.ts';
import type { ChatState } from '../domain/chat.types.ts';
import { createChatRepository, type LoadedChat } from './chat-repository.ts';
import { type CommandContext, chatIdOf, parseChatCommand } from './command-parsing.ts';
import { createKeyedQueue } from './keyed-queue.ts';
import type {
  ChatBatch,
  CommandMetrics,
  EventLog,
  ProjectionStore,
  PushPublisher,
} from './ports.ts';
import { publishPushes } from './pushes.ts';

export interface CommandHandlerDeps {
  eventLog: EventLog;
  projections: ProjectionStore;
  pushes: PushPublisher;
  metrics: CommandMetrics;
  logger: Logger;
  context: CommandContext;
  /** Appends tried per command before giving up under contention. */
  maxAttempts?: number;
  /** An erased customer (docs/erasure.md) may not write again: no new data gets a new key. */
  isErasedCustomer?: (organizationId: string, customerId: string) => Promise<boolean>;
}

/**
 * chat-store's `execute`: decide on the aggregate, append one batch with the expected last
 * sequence, and only once the append is acknowledged project it, push it and answer.
 */
export function createCommandHandler(deps: CommandHandlerDeps) {
  const repository = createChatRepository(deps.eventLog);
  const queue = createKeyedQueue();
  const maxAttempts = deps.maxAttempts ?? 25;

  async function execute(command: Command): Promise<unknown> {
    try {
      const parsed = parseChatCommand(command, deps.context);
      await refuseErasedCustomer(parsed);
      const chatCommand = await withCustomerClaim(parsed, command);
      const key = `${chatCommand.actor.organizationId}\u0000${chatIdOf(chatCommand)}`;
      const response = await queue.run(key, () => executeOnChat(chatCommand, command));
      deps.metrics.commandFinished(command.action, 'success');
      return response;
    } catch (error) {
      deps.metrics.commandFinished(
        command.action,
        error instanceof ProtocolError ? error.type : 'internal',
      );
      throw error;
    }
  }

  async function refuseErasedCustomer({ actor }: ChatCommand): Promise<void> {
    if (actor.type !== 'customer' || !deps.isErasedCustomer) return;
    if (await deps.isErasedCustomer(actor.organizationId, actor.id))
      throw new ProtocolError('not_allowed', "This customer's data was erased");
  }

  /**
   * Without Messaging Mode a customer has one chat: their start_chat first claims it on the
   * customer's claim subject (expected last sequence 0). If another command holds the claim, the
   * chat is created under the claimed id only if it does not exist yet (its creator died between
   * claim and append); otherwise decide answers `validation`. The chat subject's expected
   * sequence keeps both paths safe when they race.
   */
  async function withCustomerClaim(
    chatCommand: ChatCommand,
    command: Command,
  ): Promise<ChatCommand> {
    if (chatCommand.type !== 'start_chat' || chatCommand.actor.type !== 'customer')
      return chatCommand;
    if (chatCommand.payload.continuous) return chatCommand;
    const claim = await deps.eventLog.claimCustomerChat(
      chatCommand.actor.organizationId,
      chatCommand.actor.id,
      {
        chatId: chatCommand.chatId,
        commandId: command.commandId,
      },
    );
    return { ...chatCommand, chatId: claim.chatId };
  }

  /**
   * Decides on the cached aggregate and appends optimistically. A conflict means another replica
   * appended: reload and decide again. A refusal (or a no-op) decided on a cached aggregate may be
   * stale too, so it is only answered once decided again on the stream's latest state.
   */
  async function executeOnChat(chatCommand: ChatCommand, command: Command): Promise<unknown> {
    const organizationId = chatCommand.actor.organizationId;
    const chatId = chatIdOf(chatCommand);
    let { chat, fresh } = await repository.get(organizationId, chatId);
    const reload = async () => {
      chat = await repository.refresh(organizationId, chatId);
      fresh = true;
    };
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const recorded = chat.commands.get(command.commandId);
      if (recorded) return responseFor(chatCommand.type, recorded);
      const decision = decide(chatCommand, chat.state);
      if (!Array.isArray(decision) || decision.length === 0) {
        // Refusals, no-ops and signals are only answered on the stream's latest state.
        if (!fresh) {
          await reload();
          continue;
        }
        if (decision instanceof ProtocolError) throw decision;
        if (Array.isArray(decision)) return responseFor(chatCommand.type, decision);
        publishPushes(
          deps.pushes,
          { organizationId, requester: command.requester },
          decision.signals,
          [chat.state],
        );
        return {};
      }
      const batch: ChatBatch = {
        organizationId,
        chatId,
        version: chat.version + 1,
        commandId: command.commandId,
        requester: command.requester,
        events: decision,
        notifications: notificationsFor(chat.state, decision, chatCommand.actor),
        customerIds: customersOf(chat.state),
      };
      const result = await deps.eventLog.append(batch, chat.sequence);
      if (result.outcome === 'duplicate') return originalResponse(chatCommand, result.sequence);
      if (result.outcome === 'appended') {
        const before = chat.state;
        const lastPushed = chat.lastPushed;
        await afterAppend(
          before,
          repository.record(chat, batch, result.sequence),
          batch,
          lastPushed,
        );
        return responseFor(chatCommand.type, decision);
      }
      deps.metrics.appendConflict(chatCommand.type);
      await reload();
    }
    throw new ProtocolError('service_unavailable', 'Chat is busy; try again');
  }

  /** A retried command whose batch is stored: answer from that batch, never apply it again. */
  async function originalResponse(chatCommand: ChatCommand, sequence: number): Promise<unknown> {
    repository.forget(chatCommand.actor.organizationId, chatIdOf(chatCommand));
    const original = await deps.eventLog.readAt(sequence);
    if (!original)
      throw new ProtocolError('internal', 'Stored batch of a retried command is missing');
    return responseFor(chatCommand.type, original.events);
  }

  /**
   * Projects the batch inline (best effort: the projector guarantees it) so that a read right
   * after one's own write sees it, then pushes. If an earlier batch of this chat, appended by
   * another replica, is not projected yet, the chat's batches are replayed in order.
   */
  async function afterAppend(
    before: ChatState,
    chat: LoadedChat,
    batch: ChatBatch,
    lastPushed: ReadonlyMap<string, number>,
  ): Promise<void> {
    try {
      const outcome = await deps.projections.apply(batch);
      if (outcome === 'gap') {
        const stored = await deps.eventLog.readChat(batch.organizationId, batch.chatId, 0);
        for (const { batch: earlier } of stored) await deps.projections.apply(earlier);
      }
    } catch (error) {
      deps.logger.warn(
        { err: error, chatId: batch.chatId },
        'inline projection failed; the projector will apply it',
      );
    }
    publishPushes(deps.pushes, batch, batch.notifications, [before, chat.state], lastPushed);
  }

  return { execute, forget: repository.forget };
}

function customersOf(state: ChatState): string[] {
  return state.status === 'existing'
    ? state.users.filter((user) => user.type === 'customer').map((user) => user.id)
    : [];
}
