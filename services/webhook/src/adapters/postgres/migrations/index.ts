import type { Migration } from '@threadline/postgres';
import * as createWebhook from './2025_06_01_0001_create_webhook.ts';
import * as registrationApiVersion from './2026_12_06_0001_registration_api_version.ts';
import * as deliveryOrderAndEndpoints from './2026_12_07_0001_delivery_order_and_endpoints.ts';
import * as deliveryAttempts from './2026_12_07_0002_delivery_attempts.ts';
import * as pendingSince from './2026_12_07_0003_pending_since.ts';
import * as deliveryTraceparent from './2026_12_08_0001_delivery_traceparent.ts';
import * as botOwners from './2026_12_09_0001_bot_owners.ts';

/** Every migration of the `webhook` schema, in the order they apply (by name). */
export const migrations: Record<string, Migration> = {
  '2025_06_01_0001_create_webhook': createWebhook,
  '2026_12_06_0001_registration_api_version': registrationApiVersion,
  '2026_12_07_0001_delivery_order_and_endpoints': deliveryOrderAndEndpoints,
  '2026_12_07_0002_delivery_attempts': deliveryAttempts,
  '2026_12_07_0003_pending_since': pendingSince,
  '2026_12_08_0001_delivery_traceparent': deliveryTraceparent,
  '2026_12_09_0001_bot_owners': botOwners,
};
