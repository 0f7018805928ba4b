import {
  type Credentials,
  createWebClient,
  ThreadlineApiError,
  type WebClient,
  withRetries,
} from '@threadline/sdk/browser';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ChatLog } from '../shared/chat-log.tsx';
import { Composer } from '../shared/composer.tsx';
import { applyPush, type Chats, chatView, lastEventFrom, refreshed } from '../shared/timeline.ts';
import { createTypingSignal } from '../shared/typing.ts';
import { useSession } from '../shared/use-session.ts';
import {
  type AgentSession,
  forgetAuthorization,
  openAgentSession,
  readChat,
} from './agent-session.ts';
import { Archives } from './archives.tsx';
import { counted, newsOf } from './attention.ts';
import { ChatActions } from './chat-actions.tsx';
import { ChatList } from './chat-list.tsx';
import { LoginForm } from './login-form.tsx';

type Json = Record<string, unknown>;

/** A login the server refused: trying the same token again would not help. */
function isRefusal(error: Error): boolean {
  return (
    error instanceof ThreadlineApiError &&
    ['authentication', 'authorization', 'validation'].includes(error.type)
  );
}

/** `Basic base64(account:token)` or a bearer, as the Configuration API client wants it. */
function credentialsOf(authorization: string): Credentials {
  const basic = /^Basic (.+)$/.exec(authorization.trim());
  if (!basic) return { bearer: authorization.trim() };
  const [accountId = '', ...rest] = atob(basic[1]!).split(':');
  return { accountId, personalAccessToken: rest.join(':') };
}

/**
 * The agent's side: log in, routing status, chats, and one chat at a time in the main pane; the
 * others count their unread messages in the list, announce them, and keep their drafts.
 */
export function ConsoleApp(props: { gatewayUrl: string; token: string | undefined }) {
  const [token, setToken] = useState(props.token);
  const [loginFailure, setLoginFailure] = useState<string>();
  const { session, generation, failure, fatal } = useSession(
    token ? () => openAgentSession(props.gatewayUrl, token) : undefined,
    [token, props.gatewayUrl],
    isRefusal,
  );
  useEffect(() => {
    if (!fatal) return;
    forgetAuthorization();
    setToken(undefined);
    setLoginFailure(`Login failed: ${failure}`);
  }, [fatal, failure]);
  const configuration = useMemo(
    () =>
      token &&
      createWebClient({
        baseUrl: props.gatewayUrl,
        api: 'configuration',
        credentials: credentialsOf(token),
      }),
    [token, props.gatewayUrl],
  );
  if (!token || !configuration) return <LoginForm failure={loginFailure} onLogin={setToken} />;
  if (!session) {
    return (
      <p class="notice pad" role="status">
        {failure ?? 'Logging in…'}
      </p>
    );
  }
  return (
    <Workspace
      key={generation}
      session={session}
      configuration={configuration}
      onLogout={() => {
        forgetAuthorization();
        setToken(undefined);
        void session.rtm.close();
      }}
    />
  );
}

function Workspace(props: { session: AgentSession; configuration: WebClient; onLogout(): void }) {
  const { rtm, profile } = props.session;
  const [chats, setChats] = useState<Chats>(props.session.chats);
  const [selected, setSelected] = useState<string>();
  const [unread, setUnread] = useState<Readonly<Record<string, number>>>({});
  const [announcement, setAnnouncement] = useState('');
  // What the agent has typed in each chat and not sent: kept while they look at another chat.
  const drafts = useRef<Record<string, string>>({});
  const [status, setStatus] = useState(profile.routingStatus);
  const [notice, setNotice] = useState<string>();
  // The push listener lives as long as the session: it reads the selection through a ref.
  const selectedRef = useRef<string | undefined>(undefined);
  selectedRef.current = selected;
  const known = useRef(chats);
  known.current = chats;

  /**
   * A queued chat the agent's groups can see is listed at once with its place, then read: the
   * push may come before the chat can be read (chat-store's projections follow its log), so
   * the read is tried again a few times.
   */
  function listQueued(entries: Json[]) {
    for (const entry of entries) {
      const chatId = String(entry.chat_id);
      if (known.current[chatId]) continue;
      const position = (entry.queue as Json | undefined)?.position;
      const queuePosition = typeof position === 'number' ? position : 1;
      const placeholder = { ...chatView({ id: chatId }), active: true, queuePosition };
      setChats((current) => (current[chatId] ? current : { ...current, [chatId]: placeholder }));
      void withRetries(() => readChat(rtm, chatId)).then((read) =>
        setChats((current) => {
          const listed = current[chatId];
          if (!listed || listed.queuePosition === undefined) return current;
          const queued = { ...read, queuePosition: listed.queuePosition };
          return { ...current, [chatId]: refreshed(listed, queued) };
        }),
      );
    }
  }

  useEffect(
    () =>
      rtm.onPush((push) => {
        const payload = push.payload as Json;
        const news = newsOf(push.action, payload, profile.id, known.current);
        setChats((current) => applyPush(current, push.action, payload, profile.id));
        if (push.action === 'queue_positions_updated') listQueued(push.payload as Json[]);
        if (push.action === 'routing_status_set' && payload.agent_id === profile.id) {
          setStatus(String(payload.status));
        }
        if (news && news.chatId !== selectedRef.current) {
          setUnread((current) => counted(current, news.chatId));
          setAnnouncement(news.text);
        }
      }),
    [rtm, profile.id],
  );

  async function select(chatId: string) {
    setSelected(chatId);
    setUnread(({ [chatId]: _read, ...others }) => others);
    const read = await readChat(rtm, chatId);
    setChats((current) => ({ ...current, [chatId]: refreshed(current[chatId], read) }));
  }

  const chat = selected ? chats[selected] : undefined;
  const newest = chat ? lastEventFrom(chat, profile.id)?.createdAt : undefined;
  useEffect(() => {
    if (!chat || !newest) return;
    rtm
      .request('mark_events_as_seen', { chat_id: chat.id, seen_up_to: newest })
      .catch(() => undefined);
  }, [chat?.id, newest, rtm]);
  const typing = useMemo(
    () =>
      chat &&
      createTypingSignal((isTyping) => {
        rtm
          .request('send_typing_indicator', { chat_id: chat.id, is_typing: isTyping })
          .catch(() => undefined);
      }),
    [chat?.id, rtm],
  );

  const list = Object.values(chats);
  return (
    <div class="console">
      <header class="console-header">
        <h1>Threadline · {profile.name}</h1>
        <p class="routing-now" role="status">
          {status === 'accepting_chats' ? 'You accept chats' : 'You do not accept chats'}
        </p>
        <label for="routing-status">Routing status</label>
        <select
          id="routing-status"
          value={status}
          onChange={(event) => {
            const next = event.currentTarget.value;
            rtm.request('set_routing_status', { status: next }).then(
              () => setStatus(next),
              (error: Error) => setNotice(error.message),
            );
          }}
        >
          <option value="accepting_chats">Accepting chats</option>
          <option value="not_accepting_chats">Not accepting chats</option>
        </select>
        <button type="button" class="secondary" onClick={props.onLogout}>
          Log out
        </button>
      </header>
      {notice && (
        <p class="error pad" role="alert">
          {notice}
        </p>
      )}
      <p class="visually-hidden" role="status" aria-label="News from other chats">
        {announcement}
      </p>
      <nav class="sidebar" aria-label="Chats">
        <h2 class="pad">Chats ({list.length})</h2>
        <ChatList chats={list} selected={selected} unread={unread} onSelect={select} />
      </nav>
      <main class="chat-pane">
        {chat ? (
          <>
            <ChatLog
              chat={chat}
              me={profile.id}
              activity={chat.sneakPeek ? `Customer is typing: ${chat.sneakPeek}` : undefined}
            />
            <Composer
              key={chat.id}
              label="Reply to the customer"
              initialText={drafts.current[chat.id]}
              disabled={!chat.active}
              onSend={async (text) => {
                typing?.stop();
                await rtm.request('send_event', {
                  chat_id: chat.id,
                  event: { type: 'message', text },
                });
              }}
              onDraft={(text) => {
                drafts.current[chat.id] = text;
                typing?.draft(text);
              }}
            />
            <ChatActions
              chat={chat}
              rtm={rtm}
              configuration={props.configuration}
              onFailure={setNotice}
              onSuccess={() => setNotice(undefined)}
              onChanged={() => void select(chat.id)}
            />
          </>
        ) : (
          <p class="notice pad">Choose a chat.</p>
        )}
        <Archives rtm={rtm} onFailure={setNotice} />
      </main>
    </div>
  );
}
