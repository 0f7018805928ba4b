import type { z } from 'zod';

export type Api = 'agent' | 'customer' | 'configuration';

/** The service that answers a method; `gateway` methods are handled at the edge (sessions). */
export type Owner = 'chat-store' | 'chat-store-query' | 'router' | 'webhook' | 'gateway';

export interface MethodDefinition {
  owner: Owner;
  apis: readonly Api[];
  /** RTM-only methods (login, ping, ...) are refused on the Web API. */
  rtmOnly?: boolean;
  schema: z.ZodType;
}

export const chatApis = ['agent', 'customer'] as const;

/**
 * Declares one area's methods: who answers each, on which APIs, and its request schema. Each area
 * lives in its own module so the catalog grows without everyone editing one file.
 */
export function defineMethods<const T extends Record<string, MethodDefinition>>(definitions: T): T {
  return definitions;
}
