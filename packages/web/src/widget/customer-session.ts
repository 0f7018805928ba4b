import {
  createWebClient,
  type ResponsePayload,
  RtmClient,
  requestCustomerToken,
  type WebClient,
} from '@threadline/sdk/browser';
import { type ChatView, chatView, withThreads } from '../shared/timeline.ts';

type Json = Record<string, unknown>;

/** Where the widget talks to: the page's query string, the gateway being the page's own origin. */
export interface WidgetConfig {
  gatewayUrl: string;
  organizationId: string;
  clientId: string;
}

export function readWidgetConfig(location: Location): WidgetConfig | undefined {
  const query = new URLSearchParams(location.search);
  const organizationId = query.get('organization_id');
  const clientId = query.get('client_id');
  if (!organizationId || !clientId) return undefined;
  return { gatewayUrl: query.get('gateway') ?? location.origin, organizationId, clientId };
}

export interface CustomerSession {
  customerId: string;
  rtm: RtmClient;
  web: WebClient;
  /** The customer's chat with its whole history (every thread), if they ever chatted. */
  chat: ChatView | undefined;
}

/**
 * Signs the customer in with the cookie grant: the browser keeps LiveChat's identity cookies
 * (`__lc_cid`, `__lc_cst`), so a reload, or a visit next week, is the same customer with the same
 * chat (continuous chats). Then logs in over RTM and reads the history back.
 */
export async function openCustomerSession(config: WidgetConfig): Promise<CustomerSession> {
  const token = await requestCustomerToken(config.gatewayUrl, {
    grantType: 'cookie',
    clientId: config.clientId,
    organizationId: config.organizationId,
  });
  const bearer = `Bearer ${token.access_token}`;
  const rtm = await RtmClient.connect({
    baseUrl: config.gatewayUrl,
    api: 'customer',
    organizationId: config.organizationId,
    keepPushes: false,
  });
  const login = await rtm.request('login', { token: bearer });
  const web = createWebClient({
    baseUrl: config.gatewayUrl,
    api: 'customer',
    organizationId: config.organizationId,
    credentials: { bearer },
  });
  const chats = (login.chats ?? []) as { chat_id: string }[];
  const chatId = chats[0]?.chat_id;
  return {
    customerId: token.entity_id,
    rtm,
    web,
    chat: chatId ? await readChat(rtm, chatId) : undefined,
  };
}

/** The chat's current state and the events of all its threads, oldest first. */
export async function readChat(rtm: RtmClient, chatId: string): Promise<ChatView> {
  const [current, threads] = await Promise.all([
    rtm.request('get_chat', { chat_id: chatId }),
    rtm.request('list_threads', { chat_id: chatId, sort_order: 'asc' }),
  ]);
  return withThreads(chatView(current), (threads.threads ?? []) as Json[]);
}

/**
 * Sends a message: into the open thread, or opening a new one (the first chat, or a chat whose
 * last thread was closed) with the message as its first event.
 */
export async function sendMessage(
  rtm: RtmClient,
  chat: ChatView | undefined,
  event: Json,
): Promise<ResponsePayload> {
  const thread = { events: [event] };
  if (!chat) return rtm.request('start_chat', { chat: { thread } });
  if (!chat.active) return rtm.request('resume_chat', { chat: { id: chat.id, thread } });
  return rtm.request('send_event', { chat_id: chat.id, event });
}
