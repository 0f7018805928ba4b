import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from './testing/failure.ts';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';
import { listenForPushes } from './testing/pushes.ts';

let sut: TestChatStores;

beforeAll(async () => {
  sut = await startTestChatStores(1);
});
afterAll(async () => {
  await sut?.stop();
});

type Chat = {
  access: { group_ids: number[] };
  users: { id: string; type: string; present: boolean }[];
};

describe('chat-store transfer_chat', () => {
  it('to an agent: the target gets incoming_chat, everyone chat_transferred, the old agent leaves', async () => {
    const { customer, agent, chat_id } = await sut.assignedChat();
    const target = sut.agent();
    const customerPushes = await listenForPushes(sut, customer);
    const agentPushes = await listenForPushes(sut, agent);
    const targetPushes = await listenForPushes(sut, target);
    const reply = await sut.execute(
      'transfer_chat',
      { id: chat_id, target: { type: 'agent', ids: [target.userId] } },
      agent,
    );
    expect(reply).toEqual({});

    const [incoming] = await targetPushes.next('incoming_chat');
    expect(incoming?.payload).toMatchObject({ chat: { id: chat_id } });
    for (const pushes of [customerPushes, agentPushes, targetPushes]) {
      const [transferred] = await pushes.next('chat_transferred');
      expect(transferred?.payload).toMatchObject({
        chat_id,
        requester_id: agent.userId,
        transferred_to: { group_ids: [], agent_ids: [target.userId] },
      });
      // The Customer Chat API's push has no `reason`.
      expect(transferred?.payload.reason).toBe(pushes === customerPushes ? undefined : 'manual');
    }
    const chat = await sut.query<Chat>('get_chat', { chat_id }, customer);
    expect(chat.users.filter((user) => user.type === 'agent' && user.present)).toMatchObject([
      { id: target.userId },
    ]);
    for (const pushes of [customerPushes, agentPushes, targetPushes]) pushes.stop();
  });

  it('to a group: access changes (chat_access_updated to agents), no agent stays present', async () => {
    const { customer, agent, chat_id } = await sut.assignedChat();
    const agentPushes = await listenForPushes(sut, agent);
    await sut.execute('transfer_chat', { id: chat_id, target: { type: 'group', ids: [5] } }, agent);

    const [access] = await agentPushes.next('chat_access_updated');
    expect(access?.payload).toEqual({ id: chat_id, access: { group_ids: [5] } });
    const [transferred] = await agentPushes.next('chat_transferred');
    expect(transferred?.payload).toMatchObject({ transferred_to: { group_ids: [5] } });
    const chat = await sut.query<Chat>('get_chat', { chat_id }, customer);
    expect(chat.access.group_ids).toEqual([5]);
    expect(chat.users.filter((user) => user.type === 'agent' && user.present)).toEqual([]);
    agentPushes.stop();
  });

  it('refuses an inactive chat and a requester who is not in it', async () => {
    const { agent, chat_id } = await sut.assignedChat();
    const outsider = sut.agent();
    const refused = await failure(
      sut.execute(
        'transfer_chat',
        { id: chat_id, target: { type: 'group', ids: [0, 2] } },
        outsider,
      ),
    );
    expect(refused.type).toBe('missing_access');
    await sut.execute('deactivate_chat', { id: chat_id }, agent);
    const inactive = await failure(sut.execute('transfer_chat', { id: chat_id }, agent));
    expect(inactive.type).toBe('chat_inactive');
  });
});
