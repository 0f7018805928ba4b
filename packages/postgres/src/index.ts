import { type CompiledQuery, Kysely, PostgresDialect, type QueryResult, sql } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import pg from 'pg';

// int8 columns (counts, sequences) come back as numbers: every value we store fits in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export interface DatabaseOptions {
  url: string;
  /** Each service owns one schema; its tables and its migration history live there. */
  schema: string;
  poolSize?: number;
}

/** Opens a kysely instance whose connections use the service's own schema. */
export function createDatabase<Database>(options: DatabaseOptions): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    options: `-c search_path=${options.schema}`,
  });
  // A dropped connection (Postgres restarted) is reported on the pool; without a listener it
  // would crash the process. The pool replaces it on the next query.
  pool.on('error', () => {});
  // The pool listens only to idle connections: one checked out between two statements (in a
  // transaction) reports the drop on itself, which would crash the process too. Its next
  // statement fails instead, and the pool discards it on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Creates the schema and applies pending migrations. Kysely's migrator takes a lock, so replicas
 * starting together apply each migration exactly once.
 */
export async function migrate<Database>(
  db: Kysely<Database>,
  schema: string,
  migrations: Record<string, Migration>,
): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db).catch((error: unknown) => {
    // Two replicas racing on CREATE SCHEMA IF NOT EXISTS can still collide on the catalog.
    if (!String(error).includes('duplicate key')) throw error;
  });
  const migrator = new Migrator({
    db,
    migrationTableSchema: schema,
    provider: { getMigrations: async () => migrations },
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

/**
 * `migrate` on a connection of its own, closed afterwards: a deployment's migration step (the
 * chart's pre-upgrade Job), which runs each service's migrations before any new replica starts.
 */
export async function migrateSchema(
  url: string,
  schema: string,
  migrations: Record<string, Migration>,
): Promise<void> {
  const db = createDatabase({ url, schema, poolSize: 1 });
  try {
    await migrate(db, schema, migrations);
  } finally {
    await db.destroy();
  }
}

/**
 * A hot query compiled once: kysely builds and compiles every query anew (13–16 % of chat-store's
 * busy time in bench/README.md's profile). `build` is called at the first run with a placeholder
 * per argument; every run then sends the same SQL with its arguments in the placeholders' places.
 * Only for queries whose shape never depends on the arguments (no list spread into `in (…)`: pass
 * an array to `= ANY(…)`), on databases of one dialect.
 */
export function compileOnce<Database, Args extends unknown[], Row>(
  build: (
    db: Kysely<Database>,
    ...args: Args
  ) => { compile(provider: Kysely<Database>): CompiledQuery<Row> },
): (db: Kysely<Database>, ...args: Args) => Promise<QueryResult<Row>> {
  // `build`'s parameters after the database: one placeholder each.
  const placeholders = Array.from(
    { length: build.length - 1 },
    (_, index) => `\u0000argument ${index}\u0000`,
  );
  let compiled: { template: CompiledQuery<Row>; sources: number[] } | undefined;
  const compile = (db: Kysely<Database>) => {
    const template = build(db, ...(placeholders as Args)).compile(db);
    if (!placeholders.every((placeholder) => template.parameters.includes(placeholder)))
      throw new Error('compileOnce: every argument must become a parameter of the query');
    const sources = template.parameters.map((parameter) =>
      placeholders.indexOf(parameter as string),
    );
    return { template, sources };
  };
  return (db, ...args) => {
    compiled ??= compile(db);
    const { template, sources } = compiled;
    return db.executeQuery<Row>({
      ...template,
      parameters: template.parameters.map((constant, index) => {
        const source = sources[index]!;
        return source < 0 ? constant : args[source];
      }),
    });
  };
}

export type { Kysely, Migration };
export { sql };
