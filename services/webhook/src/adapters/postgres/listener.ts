import pg from 'pg';

export interface NotificationListener {
  stop(): Promise<void>;
}

/**
 * LISTENs on a Postgres channel on a connection of its own (a pooled one would be handed to other
 * queries) and reconnects when it drops. Missing notifications while reconnecting is harmless:
 * the workers also poll.
 */
export function listenForNotifications(options: {
  url: string;
  channel: string;
  onNotification: () => void;
  onError: (error: unknown) => void;
  reconnectDelayMs?: number;
}): NotificationListener {
  let client: pg.Client | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const connect = async () => {
    const current = new pg.Client({ connectionString: options.url });
    client = current;
    current.on('notification', () => options.onNotification());
    current.on('error', (error) => {
      options.onError(error);
      retry(current);
    });
    current.on('end', () => retry(current));
    try {
      await current.connect();
      await current.query(`LISTEN ${pg.escapeIdentifier(options.channel)}`);
      // Whatever was announced while we were away is picked up by the next poll; nudge it now.
      options.onNotification();
    } catch (error) {
      options.onError(error);
      retry(current);
    }
  };

  const retry = (failed: pg.Client) => {
    if (stopped || client !== failed || timer) return;
    client = undefined;
    void failed.end().catch(() => {});
    timer = setTimeout(() => {
      timer = undefined;
      if (!stopped) void connect();
    }, options.reconnectDelayMs ?? 1_000);
  };

  void connect();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => {});
    },
  };
}
