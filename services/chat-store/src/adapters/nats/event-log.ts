import { DeliverPolicy, JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { type Bus, publishToStream, type Subjects } from '@threadline/bus';
import type {
  AppendResult,
  ChatBatch,
  CustomerClaim,
  EventLog,
  StoredBatch,
} from '../../application/ports.ts';
import { decodeBatch, encodeBatch } from './batch-codec.ts';

/** Reads of a chat done by direct get, one message per request, before switching to a consumer. */
const directReads = 16;

/**
 * The chat event log on JetStream: one subject per chat in the chats stream. Appends carry the
 * expected last subject sequence (two writers to one chat can never both win) and the command id
 * as message id (a retried command is absorbed within the stream's duplicate window).
 */
export function createEventLog(bus: Bus, subjects: Subjects): EventLog {
  const stream = subjects.chatStream;

  async function lastSequence(subject: string): Promise<number> {
    // Through the stream leader (not direct get): the answer must include every acknowledged append.
    const last = await bus.manager.streams.getMessage(stream, { last_by_subj: subject });
    return last?.seq ?? 0;
  }

  /** Messages on `subject` after `after` up to `until`: a few direct gets, then an ordered consumer. */
  async function readSubject(
    subject: string,
    after: number,
    until: number,
  ): Promise<StoredBatch[]> {
    const read: StoredBatch[] = [];
    let next = after + 1;
    for (let count = 0; count < directReads && next <= until; count++) {
      const message = await bus.manager.direct.getMessage(stream, {
        seq: next,
        next_by_subj: subject,
      });
      if (!message || message.seq > until) break;
      read.push({ sequence: message.seq, batch: decodeBatch(message.data) });
      next = message.seq + 1;
    }
    if (next <= until) read.push(...(await readWithConsumer(subject, next, until)));
    return read;
  }

  async function readWithConsumer(
    subject: string,
    from: number,
    until: number,
  ): Promise<StoredBatch[]> {
    const consumer = await bus.jetstream.consumers.get(stream, {
      filter_subjects: subject,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: from,
    });
    const read: StoredBatch[] = [];
    try {
      let reached = from - 1;
      let done = false;
      while (!done) {
        const before = reached;
        const messages = await consumer.fetch({ max_messages: 256, expires: 2_000 });
        for await (const message of messages) {
          read.push({ sequence: message.seq, batch: decodeBatch(message.data) });
          reached = message.seq;
          done = reached >= until || message.info.pending === 0;
          if (done) break;
        }
        if (!done && reached === before)
          throw new Error(`Could not read ${subject} up to sequence ${until}`);
      }
    } finally {
      await consumer.delete().catch(() => undefined);
    }
    return read;
  }

  return {
    async append(batch: ChatBatch, expectedSequence: number): Promise<AppendResult> {
      try {
        const ack = await publishToStream(
          bus.jetstream,
          subjects.chatEvents(batch.organizationId, batch.chatId),
          encodeBatch(batch),
          {
            msgID: batch.commandId,
            expect: { lastSubjectSequence: expectedSequence },
            operation: 'chat events',
          },
        );
        return ack.duplicate
          ? { outcome: 'duplicate', sequence: ack.seq }
          : { outcome: 'appended', sequence: ack.seq };
      } catch (error) {
        if (isWrongLastSequence(error)) return { outcome: 'conflict' };
        throw error;
      }
    },

    async readChat(organizationId, chatId, afterSequence) {
      const subject = subjects.chatEvents(organizationId, chatId);
      const until = await lastSequence(subject);
      return until > afterSequence ? readSubject(subject, afterSequence, until) : [];
    },

    async readAt(sequence) {
      const message = await bus.manager.streams.getMessage(stream, { seq: sequence });
      return message ? decodeBatch(message.data) : undefined;
    },

    async claimCustomerChat(organizationId, customerId, claim) {
      const subject = subjects.customerClaim(organizationId, customerId);
      const body = JSON.stringify({ chat_id: claim.chatId, command_id: claim.commandId });
      try {
        const ack = await publishToStream(bus.jetstream, subject, body, {
          msgID: `claim:${claim.commandId}`,
          expect: { lastSubjectSequence: 0 },
          operation: 'customer claim',
        });
        if (!ack.duplicate) return claim;
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
      }
      return readClaim(await bus.manager.streams.getMessage(stream, { last_by_subj: subject }));
    },
  };
}

function readClaim(message: { data: Uint8Array } | null): CustomerClaim {
  if (!message) throw new Error('Customer claim vanished from the stream');
  const claim = JSON.parse(new TextDecoder().decode(message.data)) as {
    chat_id: string;
    command_id: string;
  };
  return { chatId: claim.chat_id, commandId: claim.command_id };
}

function isWrongLastSequence(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence
  );
}
