import type { Kysely, Transaction } from 'kysely';
import type { SystemCommand, SystemCommandsPort } from '../../application/ports.ts';
import type { RouterDatabase } from './database.ts';

type Db = Kysely<RouterDatabase> | Transaction<RouterDatabase>;

/**
 * Records commands in the outbox, in the caller's transaction; one already recorded under the
 * same id (the same decision taken again) is kept as it is. Returns the newly recorded ones.
 */
export async function recordSystemCommands(
  db: Db,
  commands: readonly SystemCommand[],
  now: Date,
): Promise<SystemCommand[]> {
  const recorded: SystemCommand[] = [];
  for (const command of commands) {
    const inserted = await db
      .insertInto('system_commands')
      .values({
        organization_id: command.organizationId,
        command_id: command.commandId,
        action: command.action,
        payload: JSON.stringify(command.payload),
        issued_at: command.issuedAt,
        attempted_at: now,
      })
      .onConflict((conflict) => conflict.doNothing())
      .returning('command_id')
      .executeTakeFirst();
    if (inserted) recorded.push(command);
  }
  return recorded;
}

export function createSystemCommands(db: Kysely<RouterDatabase>): SystemCommandsPort {
  return {
    record: (commands, now) => recordSystemCommands(db, commands, now),

    claimUndelivered: (triedBefore, now, limit) =>
      db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('system_commands')
          .selectAll()
          .where('attempted_at', '<', triedBefore)
          .orderBy('attempted_at')
          .limit(limit)
          .forUpdate()
          .skipLocked()
          .execute();
        for (const row of rows) {
          await trx
            .updateTable('system_commands')
            .set({ attempted_at: now })
            .where('organization_id', '=', row.organization_id)
            .where('command_id', '=', row.command_id)
            .execute();
        }
        return rows.map((row) => ({
          organizationId: row.organization_id,
          commandId: row.command_id,
          action: row.action as SystemCommand['action'],
          payload: row.payload,
          issuedAt: row.issued_at,
        }));
      }),

    async settle(organizationId, commandId) {
      await db
        .deleteFrom('system_commands')
        .where('organization_id', '=', organizationId)
        .where('command_id', '=', commandId)
        .execute();
    },

    async countUndelivered() {
      const row = await db
        .selectFrom('system_commands')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
  };
}
