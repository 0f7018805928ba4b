import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CallOptions,
  createWebClient,
  type ResponsePayload,
  RtmClient,
  ThreadlineApiError,
  type WebClient,
} from '@threadline/sdk';

/**
 * Clients that keep chatting through faults, as a well-behaved application would: a failed
 * request is sent again, to the next gateway, under the same idempotency key (Web API
 * `Idempotency-Key`, RTM `request_id` of a session logged in with `idempotent_request_ids`),
 * until it is answered; an RTM client whose socket dropped connects and logs in again. Each keeps
 * what it was told, so a test can hold the platform to it.
 */

/** A message a client sent, and what became of it. */
export interface SentMessage {
  chatId: string;
  text: string;
  /** The event id of the acknowledgement; absent when none came (given up, or refused). */
  eventId?: string;
  /** The error a request was refused with for good (not a "try again"). */
  refusal?: string;
  attempts: number;
}

/** Errors that say "not now": a client retries these. */
const retriedErrorTypes = new Set([
  'internal',
  'service_unavailable',
  'request_timeout',
  'too_many_requests',
  'pending_requests_limit_reached',
  'connection_closed',
  'connection_refused',
]);

function isRetried(error: unknown): boolean {
  if (error instanceof ThreadlineApiError) return retriedErrorTypes.has(error.type);
  // fetch and ws fail with plain errors when nothing listens or the socket resets.
  return true;
}

/** Something a client can send a request through, whichever way it connects. */
type Send = (
  action: string,
  payload: unknown,
  key: string,
  gateway: number,
) => Promise<ResponsePayload>;

/**
 * Sends one request until it is answered or `giveUpAt` passes, moving to the next gateway after
 * each failure; the same key every time.
 */
async function sendUntilAnswered(
  send: Send,
  gateways: number,
  action: string,
  payload: unknown,
  key: string,
  giveUpAt: () => number,
  first: number,
): Promise<{ answer?: ResponsePayload; refusal?: string; attempts: number }> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return {
        answer: await send(action, payload, key, (first + attempt - 1) % gateways),
        attempts: attempt,
      };
    } catch (error) {
      if (!isRetried(error)) return { refusal: String(error), attempts: attempt };
      if (Date.now() > giveUpAt()) return { attempts: attempt };
      await sleep(200);
    }
  }
}

export interface ChatClient {
  name: string;
  /** What this client was acknowledged (or refused) so far. */
  sent: SentMessage[];
  /** Sends messages to its chats, one at a time, until `stop`; resolves when the last is settled. */
  run(options: {
    chatIds: string[];
    pauseMs: [number, number];
    stop: AbortSignal;
    giveUpAt: () => number;
  }): Promise<void>;
  request(action: string, payload: unknown): Promise<ResponsePayload>;
  close(): Promise<void>;
}

function chatClient(
  name: string,
  send: Send,
  gateways: number,
  close: () => Promise<void>,
): ChatClient {
  const sent: SentMessage[] = [];
  let requests = 0;
  const giveUpNever = () => Number.POSITIVE_INFINITY;
  return {
    name,
    sent,
    async run({ chatIds, pauseMs, stop, giveUpAt }) {
      for (let index = 0; !stop.aborted; index += 1) {
        const chatId = chatIds[index % chatIds.length]!;
        const text = `${name} #${index}`;
        const outcome = await sendUntilAnswered(
          send,
          gateways,
          'send_event',
          { chat_id: chatId, event: { type: 'message', text } },
          `${name}-send-${index}`,
          giveUpAt,
          index,
        );
        sent.push({
          chatId,
          text,
          attempts: outcome.attempts,
          ...(outcome.answer ? { eventId: String(outcome.answer.event_id) } : {}),
          ...(outcome.refusal ? { refusal: outcome.refusal } : {}),
        });
        await sleep(pauseMs[0] + Math.random() * (pauseMs[1] - pauseMs[0]));
      }
    },
    async request(action, payload) {
      requests += 1;
      const outcome = await sendUntilAnswered(
        send,
        gateways,
        action,
        payload,
        `${name}-request-${requests}`,
        giveUpNever,
        requests,
      );
      if (!outcome.answer) throw new Error(`${name}: ${action} refused: ${outcome.refusal}`);
      return outcome.answer;
    },
    close,
  };
}

/** A customer on the Customer Chat Web API, with a bearer token. */
export function webCustomer(options: {
  name: string;
  gatewayUrls: string[];
  organizationId: string;
  accessToken: string;
}): ChatClient {
  const clients: WebClient[] = options.gatewayUrls.map((baseUrl) =>
    createWebClient({
      baseUrl,
      api: 'customer',
      credentials: { bearer: options.accessToken },
      organizationId: options.organizationId,
    }),
  );
  const send: Send = (action, payload, key, gateway) => {
    const callOptions: CallOptions = { idempotencyKey: key };
    return clients[gateway]!.call(action, payload, callOptions);
  };
  return chatClient(options.name, send, clients.length, async () => undefined);
}

/**
 * An agent over RTM: one socket at a time, opened (and logged in with `idempotent_request_ids`)
 * on the gateway a request is sent to whenever there is none.
 */
export function rtmAgent(options: {
  name: string;
  gatewayUrls: string[];
  authorization: string;
}): ChatClient & { socket(): RtmClient | undefined; disconnects: string[] } {
  let socket: { client: RtmClient; gateway: number } | undefined;
  /** The reasons of the `agent_disconnected` pushes the gateways sent before closing a socket. */
  const disconnects: string[] = [];
  const connect = async (gateway: number): Promise<RtmClient> => {
    if (socket?.client.isOpen) return socket.client;
    await socket?.client.close().catch(() => undefined);
    socket = undefined;
    const client = await RtmClient.connect({
      baseUrl: options.gatewayUrls[gateway]!,
      api: 'agent',
      requestTimeoutMs: 10_000,
    });
    client.onPush((push) => {
      if (push.action === 'agent_disconnected')
        disconnects.push(String((push.payload as { reason?: unknown }).reason));
    });
    try {
      await client.request('login', {
        token: options.authorization,
        idempotent_request_ids: true,
      });
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
    socket = { client, gateway };
    return client;
  };
  const send: Send = async (action, payload, key, gateway) => {
    // Stay on a working socket; a new one goes to the gateway whose turn it is.
    const client = await connect(socket?.client.isOpen ? socket.gateway : gateway);
    return client.request(action, payload, { requestId: key });
  };
  return {
    ...chatClient(options.name, send, options.gatewayUrls.length, async () => {
      await socket?.client.close().catch(() => undefined);
    }),
    /** The socket in use, if one is open: where this agent's pushes arrive. */
    socket: () => (socket?.client.isOpen ? socket.client : undefined),
    disconnects,
  };
}
