import { migrateSchema } from '@threadline/postgres';
import { migrations } from './adapters/postgres/migrations/index.ts';
import { loadRouterConfig } from './config.ts';
import { schema } from './router.ts';

// The migrations the router applies at start, alone, then exit: the chart's pre-upgrade Job
// (docs/deploy.md).
await migrateSchema(loadRouterConfig(process.env).postgres.url, schema, migrations);
