import { RtmClient } from '@threadline/sdk/browser';
import { type Chats, chatView } from '../shared/timeline.ts';

type Json = Record<string, unknown>;

export interface AgentProfile {
  id: string;
  name: string;
  routingStatus: string;
}

export interface AgentSession {
  rtm: RtmClient;
  profile: AgentProfile;
  /** The chats the agent is in, as the login answered them. */
  chats: Chats;
}

const storageKey = 'threadline.console.authorization';

/**
 * The token to log in with: from the link `./threadline up` prints (`#authorization=…`, a fragment
 * so it never reaches a server log; taken out of the address bar at once), else from this tab's
 * earlier login. Session storage: closing the tab forgets it.
 */
export function rememberedAuthorization(location: Location, history: History): string | undefined {
  const fragment = new URLSearchParams(location.hash.slice(1)).get('authorization');
  if (fragment) {
    sessionStorage.setItem(storageKey, fragment);
    history.replaceState(null, '', location.pathname + location.search);
    return fragment;
  }
  return sessionStorage.getItem(storageKey) ?? undefined;
}

export function forgetAuthorization(): void {
  sessionStorage.removeItem(storageKey);
}

/** `Basic …`/`Bearer …` as pasted, or a bare access token (then a bearer). */
function asAuthorization(token: string): string {
  const trimmed = token.trim();
  return /^(Basic|Bearer) /.test(trimmed) ? trimmed : `Bearer ${trimmed}`;
}

/** Logs the agent in over RTM; the login response carries their profile and chats. */
export async function openAgentSession(gatewayUrl: string, token: string): Promise<AgentSession> {
  const rtm = await RtmClient.connect({ baseUrl: gatewayUrl, api: 'agent', keepPushes: false });
  try {
    const login = await rtm.request('login', { token: asAuthorization(token) });
    sessionStorage.setItem(storageKey, token);
    const profile = login.my_profile as Json;
    const summaries = (login.chats_summary ?? []) as Json[];
    return {
      rtm,
      profile: {
        id: String(profile.id),
        name: String(profile.name ?? ''),
        routingStatus: String(profile.routing_status ?? 'not_accepting_chats'),
      },
      chats: Object.fromEntries(summaries.map((summary) => [summary.id, chatView(summary)])),
    };
  } catch (error) {
    await rtm.close();
    throw error;
  }
}

/** Reads a chat's current thread with its events (a summary has none). */
export async function readChat(rtm: RtmClient, chatId: string) {
  return chatView(await rtm.request('get_chat', { chat_id: chatId }));
}
