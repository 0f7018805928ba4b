import { type AccountsDatabase, accountsSchema, migrateAccounts } from '@threadline/accounts';
import { createDatabase, type Kysely } from '@threadline/postgres';
import { ProtocolError } from '@threadline/protocol';
import { agentCreate, agentShow, agentToken } from './agent.ts';
import { botCreate, botToken } from './bot.ts';
import { clientCreate } from './client.ts';
import type { Command } from './command.ts';
import { customersErase, customersErasures } from './customers.ts';
import { greetingCreate, greetingDelete, greetingList } from './greeting.ts';
import { groupCreate } from './group.ts';
import { parseOptions, UsageError } from './options.ts';
import { organizationCreate, organizationShow } from './organization.ts';
import { projectionsDump, projectionsRebuild } from './projections.ts';
import { seedDemoCommand } from './seed-demo.ts';
import { createServices } from './services.ts';
import { agentPatCreate, agentPatList, agentPatRevoke, tokenRevoke } from './tokens.ts';
import { webhooksDeliveries, webhooksRedeliver, webhooksReplay } from './webhooks.ts';

export const commands: readonly Command[] = [
  organizationCreate,
  organizationShow,
  groupCreate,
  agentCreate,
  agentToken,
  agentShow,
  agentPatCreate,
  agentPatList,
  agentPatRevoke,
  tokenRevoke,
  botCreate,
  botToken,
  clientCreate,
  greetingCreate,
  greetingList,
  greetingDelete,
  seedDemoCommand,
  webhooksDeliveries,
  webhooksRedeliver,
  webhooksReplay,
  customersErase,
  customersErasures,
  projectionsRebuild,
  projectionsDump,
];

export const defaultDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/test';

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * Runs one admin command and returns the exit code: 0 with one JSON object on stdout, or 1 with a
 * message on stderr. The accounts migrations run first, so a fresh database just works.
 */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  if (args.length === 0 || ['help', '--help', '-h'].includes(args[0] ?? '')) {
    io.stdout.write(usage());
    return 0;
  }
  const command = findCommand(args);
  if (!command) {
    io.stderr.write(`threadline: unknown command "${args.join(' ')}"\n\n${usage()}`);
    return 1;
  }
  const words = command.name.split(' ').length;
  let db: Kysely<AccountsDatabase> | undefined;
  // chat-store's tools read DATABASE_URL themselves: they get the same default as the commands.
  const services = createServices({
    ...io.env,
    DATABASE_URL: io.env.DATABASE_URL || defaultDatabaseUrl,
  });
  try {
    const values = parseOptions(args.slice(words), command.options, command.positionals);
    db = createDatabase<AccountsDatabase>({
      url: io.env.DATABASE_URL || defaultDatabaseUrl,
      schema: accountsSchema,
      poolSize: 2,
    });
    await migrateAccounts(db);
    const result = await command.run(db, values, services);
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`threadline ${command.name}: ${describe(error)}\n`);
    if (error instanceof UsageError) io.stderr.write(`usage: threadline ${command.usage}\n`);
    return 1;
  } finally {
    await db?.destroy();
    await services.close();
  }
}

function findCommand(args: string[]): Command | undefined {
  return commands.find((command) => {
    const words = command.name.split(' ');
    return words.every((word, index) => args[index] === word);
  });
}

function describe(error: unknown): string {
  if (error instanceof ProtocolError) return `${error.type}: ${error.message}`;
  if (error instanceof AggregateError && error.errors.length > 0) {
    return describe(error.errors[0]);
  }
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    if (code === 'ECONNREFUSED') return `cannot reach PostgreSQL (${error.message})`;
    return error.message || error.name;
  }
  return String(error);
}

function usage(): string {
  return [
    'usage: threadline <command> [options]',
    '',
    'Admin commands (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test; the webhooks',
    'and projections commands use NATS_URL and THREADLINE_NAMESPACE too, default tl):',
    ...commands.map((command) => `  threadline ${command.usage}`),
    '',
    'Each prints one JSON object on stdout; errors go to stderr with exit code 1.',
    '',
  ].join('\n');
}
