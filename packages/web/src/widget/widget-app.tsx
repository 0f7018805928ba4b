import { useEffect, useMemo, useState } from 'preact/hooks';
import { ChatLog } from '../shared/chat-log.tsx';
import { Composer } from '../shared/composer.tsx';
import { applyPush, type Chats, lastEventFrom, refreshed } from '../shared/timeline.ts';
import { useSession } from '../shared/use-session.ts';
import {
  type CustomerSession,
  openCustomerSession,
  readChat,
  sendMessage,
  type WidgetConfig,
} from './customer-session.ts';
import { type PrechatAnswers, PrechatForm } from './prechat-form.tsx';

type Json = Record<string, unknown>;

/** The customer's side: sign in, the pre-chat form or the chat, and what the agent is doing. */
export function WidgetApp({ config }: { config: WidgetConfig }) {
  const { session, failure } = useSession(() => openCustomerSession(config), [config]);
  const [chats, setChats] = useState<Chats>({});

  useEffect(() => {
    if (!session) return;
    setChats(session.chat ? { [session.chat.id]: session.chat } : {});
    return session.rtm.onPush((push) =>
      setChats((current) =>
        applyPush(current, push.action, push.payload as Json, session.customerId),
      ),
    );
  }, [session]);

  const chat = Object.values(chats)[0];
  const me = session?.customerId ?? '';
  useMarkSeen(session, chat?.id, chat ? lastEventFrom(chat, me)?.createdAt : undefined);
  const peek = useMemo(
    () => session && chat && sneakPeekSender(session, chat.id),
    [session, chat?.id],
  );

  async function send(event: Json) {
    if (!session) return;
    const response = await sendMessage(session.rtm, chat, event);
    const chatId = String(response.chat_id ?? chat?.id);
    const read = await readChat(session.rtm, chatId);
    setChats((current) => ({ ...current, [chatId]: refreshed(current[chatId], read) }));
  }

  async function startWith(answers: PrechatAnswers) {
    if (!session) return;
    const customer = { name: answers.name, ...(answers.email ? { email: answers.email } : {}) };
    await session.rtm.request('update_customer', customer);
    await send({ type: 'message', text: answers.question });
  }

  const agentTyping = chat?.typing.some((id) => id !== me);
  return (
    <main class="widget">
      <header class="widget-header">
        <h1>Chat with us</h1>
        <p class="notice">{chat?.active ? 'We are here to help' : 'Ask us anything'}</p>
      </header>
      {failure && (
        <p class="error" role="alert">
          {failure}
        </p>
      )}
      {!session && !failure && <p class="notice pad">Connecting…</p>}
      {session && !chat && <PrechatForm onSubmit={startWith} />}
      {session && chat && (
        <>
          {chat.queuePosition !== undefined && (
            <p class="queue" role="status">
              You are number {chat.queuePosition} in the queue. An agent will be with you soon.
            </p>
          )}
          <ChatLog chat={chat} me={me} activity={agentTyping ? 'Agent is typing…' : undefined} />
          {!chat.active && <p class="notice pad">This chat has ended. Write to start again.</p>}
          <Composer
            label="Write a message"
            onSend={(text) => send({ type: 'message', text })}
            onDraft={(text) => peek?.(text)}
            onFile={async (file) => {
              const url = await session.web.uploadFile(file, file.name);
              await send({ type: 'file', url });
            }}
          />
        </>
      )}
    </main>
  );
}

/** Tells the agent how far the customer has read, whenever a newer message of theirs shows. */
function useMarkSeen(
  session: CustomerSession | undefined,
  chatId: string | undefined,
  newest: string | undefined,
) {
  useEffect(() => {
    if (!session || !chatId || !newest || document.visibilityState !== 'visible') return;
    session.rtm
      .request('mark_events_as_seen', { chat_id: chatId, seen_up_to: newest })
      .catch(() => undefined);
  }, [session, chatId, newest]);
}

/** The sneak peek: what the customer types, sent at most every 400 ms (the last text wins). */
function sneakPeekSender(session: CustomerSession, chatId: string) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let text = '';
  return (draft: string) => {
    text = draft;
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      session.rtm
        .request('send_sneak_peek', { chat_id: chatId, sneak_peek_text: text })
        .catch(() => undefined);
    }, 400);
  };
}
