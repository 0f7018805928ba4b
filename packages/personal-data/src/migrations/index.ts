import type { Migration } from '@threadline/postgres';
import * as customerKeys from './2026_12_08_0001_customer_keys.ts';

/** The `personal_data` schema's migrations, applied by every service that opens the key ring. */
export const migrations: Record<string, Migration> = {
  '2026_12_08_0001_customer_keys': customerKeys,
};
