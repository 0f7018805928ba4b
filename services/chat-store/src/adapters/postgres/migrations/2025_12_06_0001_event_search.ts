import { type Kysely, sql } from 'kysely';

/**
 * The archive search's own projection: each event's searchable text as a stored `tsvector`,
 * with a GIN index over it. It is a generated column, derived from the columns the projection
 * writer folds (`body`, `deleted`), so every write keeps it current and a rebuild reproduces it
 * exactly; matching needs no `to_tsvector` per row. A deleted event is not searchable: normal
 * agents see it as a stub, and a match on its words would tell them what it said.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE events ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', CASE WHEN deleted THEN '' ELSE coalesce(body->>'text', '') END)
  ) STORED`.execute(db);
  await sql`CREATE INDEX events_search ON events USING gin (search_vector)`.execute(db);
  await db.schema.dropIndex('events_text_search').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX events_text_search ON events
    USING gin (to_tsvector('simple', coalesce(body->>'text', '')))`.execute(db);
  await db.schema.alterTable('events').dropColumn('search_vector').execute();
}
