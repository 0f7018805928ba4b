import {
  type Credentials,
  createWebClient,
  requestCustomerToken,
  type WebClient,
} from '@threadline/sdk';

/** A token is renewed this long before it would expire. */
const renewalMarginMs = 60_000;

/**
 * Customer Chat Web API clients acting as the bridge's customers. The bridge is a back end, so it
 * uses LiveChat's `agent_token` grant: with its agent credentials it creates a customer (no
 * `entity_id`), or gets a token for one it created before (`entity_id`), for its own client.
 */
export function createCustomerApis(options: {
  url: string;
  organizationId: string;
  clientId: string;
  agent: Credentials;
}) {
  const tokens = new Map<string, { client: WebClient; expiresAt: number }>();

  async function grant(entityId?: string) {
    const token = await requestCustomerToken(options.url, {
      grantType: 'agent_token',
      clientId: options.clientId,
      organizationId: options.organizationId,
      agent: options.agent,
      ...(entityId ? { entityId } : {}),
    });
    const client = createWebClient({
      baseUrl: options.url,
      api: 'customer',
      credentials: { bearer: token.access_token },
      organizationId: options.organizationId,
    });
    tokens.set(token.entity_id, { client, expiresAt: Date.now() + token.expires_in * 1000 });
    return { customerId: token.entity_id, client };
  }

  return {
    /** A new customer of the organization; returns its id (the `entity_id` to keep). */
    async createCustomer(): Promise<string> {
      return (await grant()).customerId;
    },
    /** The Customer Chat API as this customer. */
    async as(customerId: string): Promise<WebClient> {
      const cached = tokens.get(customerId);
      if (cached && cached.expiresAt - renewalMarginMs > Date.now()) return cached.client;
      return (await grant(customerId)).client;
    },
  };
}

export type CustomerApis = ReturnType<typeof createCustomerApis>;
