import { chatStoreExecuteSubject } from '@threadline/bus';
import type { MethodPayload } from '@threadline/protocol';
import { newCommand } from '../commands.ts';
import type { LocalMethod, LocalMethodDependencies, LocalMethods } from './local-method.ts';
import { agentRequester, callService } from './service-calls.ts';

type ChatAccess = { access?: { group_ids?: number[] } };

/**
 * Transfers (spec §2) span two services: chat-store owns the chat, the router knows who accepts
 * chats and their load. The gateway asks chat-store first (`get_chat` as the requester, which
 * also checks the requester may see the chat), then the router, for either method.
 */
export function createTransferMethods(dependencies: LocalMethodDependencies): LocalMethods {
  const { subjects, services } = dependencies;

  /** The chat's groups, read with the reach `action` gives the requester's token. */
  const chatGroupIds: (
    identity: Parameters<LocalMethod>[0]['identity'],
    chatId: string,
    action: 'list_agents_for_transfer' | 'transfer_chat',
  ) => Promise<number[]> = async (identity, chatId, action) => {
    const chat = (await callService(
      dependencies,
      subjects.chatStoreQuery,
      'get_chat',
      { chat_id: chatId },
      agentRequester(identity!, action),
    )) as ChatAccess;
    return chat.access?.group_ids ?? [0];
  };

  /** `[{agent_id, total_active_chats}]`: agents accepting chats in the chat's groups. */
  const listAgentsForTransfer: LocalMethod = async ({ identity, payload }) => {
    const { chat_id } = payload as MethodPayload<'list_agents_for_transfer'>;
    const groupIds = await chatGroupIds(identity, chat_id, 'list_agents_for_transfer');
    return callService(
      dependencies,
      subjects.routerExecute,
      'list_agents_for_transfer',
      { group_ids: groupIds },
      agentRequester(identity!),
    );
  };

  /**
   * Unless `ignore_agents_availability`, the router must confirm someone in the target can take
   * the chat now (`agent_offline` / `group_offline` / `group_unavailable` otherwise); then
   * chat-store transfers it, with the request's own requester (its pushes answer this request).
   */
  const transferChat: LocalMethod = async ({ request, identity, payload }) => {
    const body = payload as MethodPayload<'transfer_chat'>;
    // The chat first: a requester who may not see it gets `not_found`, and learns nothing about
    // whether the target agents exist or are available.
    const chatGroups = await chatGroupIds(identity, body.id, 'transfer_chat');
    if (!body.ignore_agents_availability) {
      const target = body.target;
      const query =
        target?.type === 'agent'
          ? { agent_ids: target.ids.map(String) }
          : {
              group_ids: target
                ? target.ids.filter((id): id is number => typeof id === 'number')
                : chatGroups,
            };
      await callService(
        dependencies,
        subjects.routerExecute,
        'can_accept',
        query,
        agentRequester(identity!),
      );
    }
    const command = newCommand({ ...request, action: 'transfer_chat', payload: body });
    return services.call(
      chatStoreExecuteSubject(subjects, identity?.organizationId, body),
      command,
      { fallbackSubject: subjects.chatStoreExecute },
    );
  };

  return {
    list_agents_for_transfer: listAgentsForTransfer,
    transfer_chat: transferChat,
  };
}
