import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useResumeChatMessage } from './domain/chat.decide.ts';
import { failure } from './testing/failure.ts';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';

let sut: TestChatStores;

beforeAll(async () => {
  sut = await startTestChatStores(2);
});
afterAll(async () => {
  await sut?.stop();
});

function storedBatches(chatId: string) {
  return sut.readChat(chatId);
}

describe('chat-store commands (two instances, real NATS and Postgres)', () => {
  it('accepts concurrent send_events to one chat with consecutive versions and distinct event ids', async () => {
    const agent = sut.agent();
    const { chat_id } = await sut.execute<{ chat_id: string }>('start_chat', {}, agent);
    const sends = Array.from({ length: 24 }, (_, index) =>
      sut.execute<{ event_id: string }>(
        'send_event',
        { chat_id, event: { type: 'message', text: `message ${index}` } },
        agent,
      ),
    );
    const eventIds = (await Promise.all(sends)).map((response) => response.event_id);

    expect(new Set(eventIds).size).toBe(24);
    const batches = await storedBatches(chat_id);
    expect(batches.map(({ batch }) => batch.version)).toEqual(
      Array.from({ length: 25 }, (_, index) => index + 1),
    );
  });

  it('applies a retried command once and answers it with the original response', async () => {
    const customer = sut.customer();
    const { chat_id } = await sut.execute<{ chat_id: string }>('start_chat', {}, customer);
    const commandId = randomUUID();
    const send = () =>
      sut.execute('send_event', { chat_id, event: { type: 'message', text: 'once' } }, customer, {
        commandId,
      });

    const [first, concurrentRetry] = await Promise.all([send(), send()]);
    await sut.execute(
      'send_event',
      { chat_id, event: { type: 'message', text: 'later' } },
      customer,
    );
    const lateRetry = await send();

    expect(concurrentRetry).toEqual(first);
    expect(lateRetry).toEqual(first);
    const texts = (await storedBatches(chat_id)).flatMap(({ batch }) =>
      batch.events.flatMap((event) =>
        event.type === 'event_added' ? [event.data.event.text] : [],
      ),
    );
    expect(texts).toEqual(['once', 'later']);
  });

  it('answers a retried start_chat with the chat it created, not a second chat', async () => {
    const agent = sut.agent();
    const commandId = randomUUID();
    const first = await sut.execute('start_chat', {}, agent, { commandId });
    const retry = await sut.execute('start_chat', {}, agent, { commandId });
    expect(retry).toEqual(first);
  });

  it('lets only one of two racing start_chats of a customer create their chat', async () => {
    const customer = sut.customer();
    const results = await Promise.allSettled([
      sut.execute(
        'start_chat',
        { chat: { thread: { events: [{ type: 'message', text: 'a' }] } } },
        customer,
      ),
      sut.execute(
        'start_chat',
        { chat: { thread: { events: [{ type: 'message', text: 'b' }] } } },
        customer,
      ),
    ]);

    const succeeded = results.filter((result) => result.status === 'fulfilled');
    const failed = results.filter((result) => result.status === 'rejected');
    expect(succeeded).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect((failed[0] as PromiseRejectedResult).reason).toMatchObject({
      type: 'validation',
      message: useResumeChatMessage,
    });
    const listed = await sut.query<{ total_chats: number }>('list_chats', {}, customer);
    expect(listed.total_chats).toBe(1);
  });

  it('lets a customer in Messaging Mode (continuous) have several chats', async () => {
    const customer = sut.customer();
    await sut.execute('start_chat', {}, customer);
    await sut.execute('start_chat', { continuous: true }, customer);
    const listed = await sut.query<{ total_chats: number }>('list_chats', {}, customer);
    expect(listed.total_chats).toBe(2);
  });

  it('resumes a deactivated chat in a new thread and refuses to resume an active one', async () => {
    const customer = sut.customer();
    const { chat_id, thread_id } = await sut.execute<{ chat_id: string; thread_id: string }>(
      'start_chat',
      {},
      customer,
    );
    expect(
      (await failure(sut.execute('resume_chat', { chat: { id: chat_id } }, customer))).type,
    ).toBe('validation');
    await sut.execute('deactivate_chat', { id: chat_id }, customer);
    expect(
      (
        await failure(
          sut.execute('send_event', { chat_id, event: { type: 'message', text: 'x' } }, customer),
        )
      ).type,
    ).toBe('chat_inactive');

    const resumed = await sut.execute<{ thread_id: string }>(
      'resume_chat',
      { chat: { id: chat_id } },
      customer,
    );
    expect(resumed.thread_id).not.toBe(thread_id);
  });

  it("decides on the stream's latest state when another instance changed the chat", async () => {
    const [first, second] = sut.instances.map((instance) => instance.store);
    const customer = sut.customer();
    const agent = sut.agent();
    const { chat_id, thread_id } = (await first!.execute(
      sut.command('start_chat', {}, customer),
    )) as {
      chat_id: string;
      thread_id: string;
    };
    await second!.execute(
      sut.command(
        'assign_agent',
        { chat_id, thread_id, agent: { id: agent.userId } },
        sut.router(),
      ),
    );
    // The first instance still caches the chat without the agent; refusing would be wrong.
    const sent = await first!.execute(
      sut.command('send_event', { chat_id, event: { type: 'message', text: 'hi' } }, agent),
    );
    expect(sent).toHaveProperty('event_id');

    await second!.execute(sut.command('deactivate_chat', { id: chat_id }, customer));
    const resumed = await first!.execute(
      sut.command('resume_chat', { chat: { id: chat_id } }, customer),
    );
    expect(resumed).toHaveProperty('thread_id');
  });

  it('answers not_found for chats of other organizations, other customers and other groups', async () => {
    const { chat_id } = await sut.execute<{ chat_id: string }>('start_chat', {}, sut.customer());
    const event = { type: 'message', text: 'peek' };
    const strangers = [
      sut.customer(),
      sut.customer({ organizationId: randomUUID() }),
      sut.agent({ groupIds: [42] }),
    ];
    for (const stranger of strangers) {
      expect((await failure(sut.execute('send_event', { chat_id, event }, stranger))).type).toBe(
        'not_found',
      );
      expect((await failure(sut.query('get_chat', { chat_id }, stranger))).type).toBe('not_found');
    }
  });

  it('answers bad input with the protocol error and keeps serving', async () => {
    const customer = sut.customer();
    const garbage = sut.command('send_event', {}, customer);
    garbage.payloadJson = '{not json';
    const { callService } = await import('@threadline/bus');
    expect(
      (await failure(callService(sut.client.connection, sut.subjects.chatStoreExecute, garbage)))
        .type,
    ).toBe('validation');
    expect((await failure(sut.execute('send_event', { chat_id: 'X' }, customer))).type).toBe(
      'validation',
    );
    expect((await failure(sut.execute('archive_everything', {}, customer))).type).toBe(
      'validation',
    );
    expect(
      (await failure(sut.execute('start_chat', {}, sut.customer({ userType: 'martian' })))).type,
    ).toBe('validation');
    expect(await sut.execute('start_chat', {}, customer)).toHaveProperty('chat_id');
  });
});
