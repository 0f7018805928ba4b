import { ProtocolError } from './errors.ts';
import { type MethodName, type MethodPayload, methodSchemas } from './methods.ts';

export type Api = 'agent' | 'customer' | 'configuration';

/** The service that answers a method; `gateway` methods are handled at the edge (sessions). */
export type Owner = 'chat-store' | 'chat-store-query' | 'router' | 'webhook' | 'gateway';

interface MethodEntry {
  owner: Owner;
  apis: readonly Api[];
  /** RTM-only methods (login, ping, ...) are refused on the Web API. */
  rtmOnly?: boolean;
}

const chatApis = ['agent', 'customer'] as const;

/** Which methods each API offers and who answers them. A method missing here does not exist. */
export const methodCatalog: Record<MethodName, MethodEntry> = {
  login: { owner: 'gateway', apis: chatApis, rtmOnly: true },
  ping: { owner: 'gateway', apis: chatApis, rtmOnly: true },
  start_chat: { owner: 'chat-store', apis: chatApis },
  resume_chat: { owner: 'chat-store', apis: chatApis },
  deactivate_chat: { owner: 'chat-store', apis: chatApis },
  send_event: { owner: 'chat-store', apis: chatApis },
  get_chat: { owner: 'chat-store-query', apis: chatApis },
  list_chats: { owner: 'chat-store-query', apis: chatApis },
  list_threads: { owner: 'chat-store-query', apis: chatApis },
  set_routing_status: { owner: 'router', apis: ['agent'] },
  list_routing_statuses: { owner: 'router', apis: ['agent'] },
  register_webhook: { owner: 'webhook', apis: ['configuration'] },
  unregister_webhook: { owner: 'webhook', apis: ['configuration'] },
  list_webhooks: { owner: 'webhook', apis: ['configuration'] },
  enable_license_webhooks: { owner: 'webhook', apis: ['configuration'] },
  disable_license_webhooks: { owner: 'webhook', apis: ['configuration'] },
  get_license_webhooks_state: { owner: 'webhook', apis: ['configuration'] },
  list_webhook_names: { owner: 'webhook', apis: ['configuration'] },
};

export function findMethod(
  api: Api,
  action: string,
): (MethodEntry & { name: MethodName }) | undefined {
  if (!Object.hasOwn(methodCatalog, action)) return undefined;
  const name = action as MethodName;
  const entry = methodCatalog[name];
  return entry.apis.includes(api) ? { ...entry, name } : undefined;
}

/** Parses a method's payload, throwing the protocol's `validation` error with the first problem. */
export function parsePayload<M extends MethodName>(method: M, payload: unknown): MethodPayload<M> {
  const result = methodSchemas[method].safeParse(payload ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new ProtocolError(
      'validation',
      `Wrong format of request: ${where}${issue?.message ?? ''}`,
    );
  }
  return result.data as MethodPayload<M>;
}
