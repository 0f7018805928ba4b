import { accountsMigrations, accountsSchema } from '@threadline/accounts';
import { migrateSchema } from '@threadline/postgres';
import { loadGatewayConfig } from './config.ts';

// The accounts migrations the gateway applies at start, alone, then exit: the chart's pre-upgrade
// Job (docs/deploy.md).
await migrateSchema(
  loadGatewayConfig(process.env).postgres.url,
  accountsSchema,
  accountsMigrations,
);
