/** The bridge's client of the external messaging service's business API. */
export interface ExternalUpdate {
  update_id: number;
  message: { message_id: string; text: string; user: { id: string; name: string } };
}

export function createExternalClient(options: { url: string; token: string }) {
  async function call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const response = await fetch(new URL(path, options.url), {
      method,
      ...(signal ? { signal } : {}),
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`external API ${method} ${path}: HTTP ${response.status}`);
    return response.json();
  }

  return {
    /** Updates from `offset` on, waiting up to `timeoutSeconds` for one when there are none. */
    async updates(
      offset: number,
      timeoutSeconds: number,
      signal?: AbortSignal,
    ): Promise<ExternalUpdate[]> {
      const path = `/bot/updates?offset=${offset}&timeout=${timeoutSeconds}`;
      const result = (await call('GET', path, undefined, signal)) as {
        updates: ExternalUpdate[];
      };
      return result.updates;
    },
    /** Sends once per `idempotencyKey`, however often it is called. */
    async sendMessage(message: { userId: string; text: string; idempotencyKey: string }) {
      await call('POST', '/bot/messages', {
        user_id: message.userId,
        text: message.text,
        idempotency_key: message.idempotencyKey,
      });
    },
  };
}

export type ExternalClient = ReturnType<typeof createExternalClient>;
