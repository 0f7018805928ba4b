import { createRequire } from 'node:module';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConformancePlatform, startConformancePlatform } from '../src/platform.ts';
import { redirectLiveChatTls } from '../src/redirect-tls.ts';

/** The slice of @livechat/chat-sdk 0.2.0 these tests use (it ships no types). */
interface ChatSdk {
  init(auth: { personal_access_token?: string; access_token?: string }): void;
  destroy(): void;
  on(event: string, listener: (frame: Frame) => void): void;
  once(event: string, listener: (frame: Frame) => void): void;
  getAgentDetails(): Promise<Record<string, unknown>>;
  sendMessage(chatId: string, text: string): Promise<Record<string, unknown>>;
  methodFactory(request: { action: string; payload?: unknown }): Promise<Record<string, unknown>>;
}
type Frame = Record<string, unknown> & { payload?: Record<string, unknown> };

const require = createRequire(import.meta.url);
let platform: ConformancePlatform;
let restoreTls: () => void;
const sdks: ChatSdk[] = [];
const pushes: Frame[] = [];

/** A chat-sdk agent, logged in over SockJS (`/v<version>/agent/rtm/sjs`). */
async function connectAgent(auth: Parameters<ChatSdk['init']>[0], apiVersion?: string) {
  const ChatSDK = require('@livechat/chat-sdk') as new (config: object) => ChatSdk;
  const sdk = new ChatSDK(apiVersion ? { apiVersion } : {});
  sdks.push(sdk);
  const ready = new Promise<void>((resolve) => sdk.once('ready', () => resolve()));
  sdk.init(auth);
  await ready;
  return sdk;
}

beforeAll(async () => {
  platform = await startConformancePlatform(testInfrastructure(), 'chat-sdk');
  restoreTls = redirectLiveChatTls(platform.gatewayUrl);
});

afterAll(async () => {
  for (const sdk of sdks) sdk.destroy();
  restoreTls?.();
  await platform?.stop();
});

describe('@livechat/chat-sdk 0.2.0 over SockJS', () => {
  let sdk: ChatSdk;

  it('logs in with a personal access token (API 3.4, its default) and reads the agent details', async () => {
    sdk = await connectAgent({ personal_access_token: platform.agent.basicCredentials });
    sdk.on('incoming_event', (frame) => pushes.push(frame));
    const details = await sdk.getAgentDetails();
    expect(details).toMatchObject({
      license: { organization_id: platform.organizationId },
      my_profile: { id: platform.agent.id, routing_status: 'accepting_chats' },
    });
    expect(Array.isArray(details.chats_summary)).toBe(true);
  });

  it('calls any RTM method through methodFactory', async () => {
    const chats = await sdk.methodFactory({ action: 'list_chats', payload: {} });
    expect(Array.isArray(chats.chats_summary)).toBe(true);
    const statuses = await sdk.methodFactory({ action: 'list_routing_statuses', payload: {} });
    expect(statuses).toEqual(
      expect.arrayContaining([{ agent_id: platform.agent.id, status: 'accepting_chats' }]),
    );
  });

  it('sends a message with sendMessage and receives its incoming_event push', async () => {
    const started = await sdk.methodFactory({
      action: 'start_chat',
      payload: { chat: { thread: { events: [] } }, continuous: true },
    });
    const chatId = String(started.chat_id);
    const sent = await sdk.sendMessage(chatId, 'Hello over SockJS');
    expect(sent.event_id).toEqual(expect.any(String));
    await expect.poll(() => pushes.length).toBeGreaterThan(0);
    expect(pushes[0]).toMatchObject({
      version: '3.4',
      type: 'push',
      action: 'incoming_event',
      payload: {
        chat_id: chatId,
        event: { id: sent.event_id, type: 'message', text: 'Hello over SockJS', visibility: 'all' },
      },
    });
  });

  it('rejects with the whole failure frame, as chat-sdk reports errors', async () => {
    await expect(
      sdk.methodFactory({ action: 'no_such_method', payload: {} }),
    ).rejects.toMatchObject({ success: false, payload: { error: { type: 'not_found' } } });
    await expect(
      sdk.methodFactory({ action: 'get_chat', payload: { chat_id: 'NOSUCHCHAT' } }),
    ).rejects.toMatchObject({ payload: { error: { type: 'not_found' } } });
  });

  it('logs in with a bearer token on another API version (apiVersion 3.6)', async () => {
    const other = await connectAgent({ access_token: platform.agent.accessToken }, '3.6');
    const details = await other.getAgentDetails();
    expect(details).toMatchObject({ my_profile: { id: platform.agent.id } });
  });
});
