import { migratePersonalData } from '@threadline/personal-data';
import { migrateSchema } from '@threadline/postgres';
import { migrations } from './adapters/postgres/migrations/index.ts';
import { schema } from './chat-store.ts';
import { loadChatStoreConfig } from './config.ts';

// The migrations chat-store applies at start, alone, then exit: the chart's pre-upgrade Job runs
// this so a new version's replicas never start against an old schema (docs/deploy.md).
const { postgres } = loadChatStoreConfig(process.env);
await migrateSchema(postgres.url, schema, migrations);
await migratePersonalData(postgres.url);
