import {
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';

export interface Bus {
  connection: NatsConnection;
  jetstream: JetStreamClient;
  manager: JetStreamManager;
}

/**
 * Connects to NATS and checks JetStream is on. Reconnects forever: a NATS restart must not take a
 * service down, only pause it.
 */
export async function connectBus(options: { url: string; name: string }): Promise<Bus> {
  const connection = await connect({
    servers: options.url.split(','),
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    // Otherwise every request and JetStream publish captures two stack traces up front, in case it
    // times out: 4–10 % of a busy gateway's or chat-store's CPU in profiles (docs/performance.md).
    // A timeout still fails with TimeoutError, only without the caller's frames.
    noAsyncTraces: true,
  });
  const manager = await jetstreamManager(connection);
  return { connection, jetstream: jetstream(connection), manager };
}
