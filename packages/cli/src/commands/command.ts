import type { AccountsDatabase } from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import type { OptionSpec, OptionValues } from './options.ts';
import type { Services } from './services.ts';

/** One admin command: `threadline <name> <options>`, answering with one JSON object. */
export interface Command {
  /** Words after `threadline`, e.g. `agent create`. */
  name: string;
  usage: string;
  options: OptionSpec;
  /** Names for the arguments after the options (`webhooks redeliver … DELIVERY_ID`), in order. */
  positionals?: readonly string[];
  run(
    db: Kysely<AccountsDatabase>,
    values: OptionValues,
    services: Services,
  ): Promise<Record<string, unknown>>;
}
