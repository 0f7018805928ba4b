import type { Migration } from '@threadline/postgres';
import * as createWebhook from './2025_06_01_0001_create_webhook.ts';

/** Every migration of the `webhook` schema, in the order they apply (by name). */
export const migrations: Record<string, Migration> = {
  '2025_06_01_0001_create_webhook': createWebhook,
};
