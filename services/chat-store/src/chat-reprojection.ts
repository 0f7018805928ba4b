import type { Bus, Subjects } from '@threadline/bus';
import { type Kysely, sql } from '@threadline/postgres';
import { replayChatBatches } from './adapters/nats/replay.ts';
import type { Database } from './adapters/postgres/database.ts';
import { projectionTableNames, projectionTables } from './adapters/postgres/projection-tables.ts';
import { applyBatch, writersLockKey } from './adapters/postgres/projection-writer.ts';

export interface ReprojectionDeps {
  db: Kysely<Database>;
  bus: Bus;
  subjects: Subjects;
}

/**
 * Folds one chat's projections again from its stream subject, on the live set, in one
 * transaction: its rows go and its batches are applied in order with the same fold. For when
 * what a chat's batches decode to has changed (erasure destroys a customer's key). Live writers
 * of the chat wait for it (the chat row's lock) and a projection rebuild's switch too (the
 * writers' lock). A batch of the chat another writer was holding finds no row when it resumes:
 * it is a gap the projector brings back a second later. Returns the batches folded.
 */
export async function reprojectChat(
  deps: ReprojectionDeps,
  organizationId: string,
  chatId: string,
): Promise<number> {
  return deps.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock_shared(${writersLockKey})`.execute(trx);
    await trx
      .selectFrom('chats')
      .select('id')
      .where('organization_id', '=', organizationId)
      .where('id', '=', chatId)
      .forUpdate()
      .execute();
    for (const table of projectionTableNames) {
      const [organizationColumn, chatColumn] = projectionTables[table];
      await sql`DELETE FROM ${sql.table(table)} WHERE ${sql.ref(organizationColumn)} = ${organizationId}
        AND ${sql.ref(chatColumn)} = ${chatId}`.execute(trx);
    }
    const replayed = await replayChatBatches(
      deps.bus,
      deps.subjects,
      (batch) => applyBatch(trx, batch),
      {
        subject: deps.subjects.chatEvents(organizationId, chatId),
      },
    );
    return replayed.batches;
  });
}
