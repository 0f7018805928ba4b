import type { AccountsDatabase } from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import type { OptionSpec, OptionValues } from './options.ts';

/** One admin command: `threadline <name> <options>`, answering with one JSON object. */
export interface Command {
  /** Words after `threadline`, e.g. `agent create`. */
  name: string;
  usage: string;
  options: OptionSpec;
  run(db: Kysely<AccountsDatabase>, values: OptionValues): Promise<Record<string, unknown>>;
}
