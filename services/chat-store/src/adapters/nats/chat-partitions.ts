import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  type CommandHandler,
  type CommandService,
  chatStorePartitions,
  type Subjects,
  serveCommands,
} from '@threadline/bus';
import type { Command } from '@threadline/contracts';
import { partitionsOwnedBy } from '../../application/partition-ownership.ts';

const heartbeatMs = 1_000;
/** Silence after which a replica counts as gone (generous: a busy 2-core machine stalls for seconds). */
const presumedGoneMs = 5_000;

export interface ChatPartitionsOptions {
  connection: NatsConnection;
  subjects: Subjects;
  queue: string;
  handler: CommandHandler;
  onUnexpected: (error: unknown, command: Command | undefined) => void;
}

export interface ChatPartitions {
  /** This replica's partitions now. */
  owned(): number[];
  /** Hands the partitions over (says it leaves) and waits for the commands taken. */
  stop(): Promise<void>;
}

/**
 * Serves the chat-affine partitions of chat-store's commands (bus/chat-affinity.ts) this replica
 * owns. Replicas announce themselves on a core NATS heartbeat and each computes the owners from
 * the members it has heard (rendezvous hashing): no lease store, no leader.
 *
 * Why this rather than keeping every replica's cached aggregates fresh from the stream: that
 * would have every replica decode and open (decrypt) every batch, a cost that grows with the
 * replicas, and the next command could still outrun the batch. Views of the members may differ
 * for a heartbeat or so (a replica starting, stalling or dying): a partition then has two owners
 * (the queue group shares it, as before affinity) or none (callers fall back to the shared
 * subject). Either way a command is decided on the stream's latest state, by the append's
 * expected sequence; affinity only makes that first decision right nearly always.
 */
export function serveChatPartitions(options: ChatPartitionsOptions): ChatPartitions {
  const { connection, subjects } = options;
  const self = randomUUID();
  const lastHeard = new Map<string, number>();
  const serving = new Map<number, CommandService>();

  const announce = (leaving = false) =>
    connection.publish(subjects.chatStoreMembers, JSON.stringify({ id: self, leaving }));

  function rebalance(): void {
    const owned = new Set(partitionsOwnedBy(self, lastHeard.keys(), chatStorePartitions));
    for (const [partition, service] of serving) {
      if (owned.has(partition)) continue;
      // Commands in hand still run; new ones go to the new owner.
      service.unsubscribe();
      serving.delete(partition);
    }
    for (const partition of owned) {
      if (serving.has(partition)) continue;
      serving.set(
        partition,
        serveCommands(
          connection,
          subjects.chatStorePartition(partition),
          options.queue,
          options.handler,
          options.onUnexpected,
        ),
      );
    }
  }

  const members = connection.subscribe(subjects.chatStoreMembers, {
    callback: (error, message) => {
      if (error) return;
      let heard: { id?: unknown; leaving?: unknown };
      try {
        heard = message.json();
      } catch {
        return;
      }
      if (typeof heard.id !== 'string' || heard.id === self) return;
      if (heard.leaving === true) {
        if (lastHeard.delete(heard.id)) rebalance();
        return;
      }
      const isNew = !lastHeard.has(heard.id);
      lastHeard.set(heard.id, Date.now());
      if (!isNew) return;
      // Answer a newcomer at once, so it does not own our partitions for a whole heartbeat.
      announce();
      rebalance();
    },
  });

  const heartbeat = setInterval(() => {
    announce();
    const now = Date.now();
    let changed = false;
    for (const [member, heardAt] of lastHeard) {
      if (now - heardAt <= presumedGoneMs) continue;
      lastHeard.delete(member);
      changed = true;
    }
    if (changed) rebalance();
  }, heartbeatMs);
  heartbeat.unref();

  rebalance();
  announce();

  return {
    owned: () => [...serving.keys()].sort((a, b) => a - b),
    async stop() {
      clearInterval(heartbeat);
      members.unsubscribe();
      announce(true);
      const services = [...serving.values()];
      serving.clear();
      await Promise.all(services.map((service) => service.drain()));
    },
  };
}
