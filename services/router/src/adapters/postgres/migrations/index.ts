import type { Migration } from '@threadline/postgres';
import * as createRouting from './2025_06_01_0001_create_routing.ts';

/** Applied in key order; names never change once released. */
export const migrations: Record<string, Migration> = {
  '2025_06_01_0001_create_routing': createRouting,
};
