import { migratePersonalData } from '@threadline/personal-data';
import { migrateSchema } from '@threadline/postgres';
import { migrations } from './adapters/postgres/migrations/index.ts';
import { loadConfig } from './config.ts';
import { databaseSchema } from './service.ts';

// The migrations the webhook service applies at start, alone, then exit: the chart's pre-upgrade
// Job (docs/deploy.md).
const { postgres } = loadConfig(process.env);
await migrateSchema(postgres.url, databaseSchema, migrations);
await migratePersonalData(postgres.url);
