import { type MethodPayload, ProtocolError } from '@threadline/protocol';
import { z } from 'zod';
import { type AdditionalDataName, type FilterName, webhookActions } from './webhook-actions.ts';

export type SourceType = 'my_client' | 'other_clients' | 'system';

/** Filters as LiveChat spells them; only the ones the action allows are ever stored. */
export interface WebhookFilters {
  author_type?: 'customer' | 'agent';
  only_my_chats?: boolean;
  chat_presence?: {
    user_ids?: { values: string[] } | { exclude_values: string[] };
    my_bots?: boolean;
  };
  source_type?: SourceType[];
  agent_ids?: string[];
}

export interface Registration {
  id: string;
  organizationId: string;
  ownerClientId: string;
  action: string;
  url: string;
  secretKey: string;
  type: 'license' | 'bot';
  description: string | undefined;
  filters: WebhookFilters;
  additionalData: AdditionalDataName[];
  /** The API version it was registered in: its webhooks are that version's (`webhook-versions.ts`). */
  apiVersion: string;
}

/** At most this many webhooks per action per owner_client_id (LiveChat's limit). */
export const registrationsPerActionLimit = 3;

const userIds = z.union([
  z.strictObject({ values: z.array(z.string().min(1)).min(1).max(100) }),
  z.strictObject({ exclude_values: z.array(z.string().min(1)).min(1).max(100) }),
]);

const filterSchemas: Record<FilterName, z.ZodType> = {
  author_type: z.enum(['customer', 'agent']),
  only_my_chats: z.boolean(),
  chat_presence: z.strictObject({ user_ids: userIds.optional(), my_bots: z.boolean().optional() }),
  source_type: z.array(z.enum(['my_client', 'other_clients', 'system'])).min(1),
  agent_ids: z.array(z.string().min(1)).min(1).max(100),
};

/**
 * Checks a `register_webhook` payload against the action's rules and returns the registration to
 * store. Every broken rule is the protocol's `validation` error naming what is wrong.
 */
export function prepareRegistration(
  payload: MethodPayload<'register_webhook'>,
  context: { id: string; organizationId: string; apiVersion: string },
): Registration {
  const action = webhookActions(context.apiVersion).find((a) => a.action === payload.action);
  if (!action) {
    throw new ProtocolError('validation', `Unsupported webhook action: ${payload.action}`);
  }
  if (!/^https?:\/\//i.test(payload.url)) {
    throw new ProtocolError('validation', 'Wrong format of request: url must be http or https');
  }
  const filters: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(payload.filters ?? {})) {
    if (!(action.filters as readonly string[]).includes(name)) {
      throw new ProtocolError('validation', `Filter ${name} is not allowed for ${action.action}`);
    }
    const parsed = filterSchemas[name as FilterName].safeParse(value);
    if (!parsed.success) {
      throw new ProtocolError('validation', `Wrong format of filters.${name}`);
    }
    filters[name] = parsed.data;
  }
  const additionalData = [...new Set(payload.additional_data ?? [])];
  for (const name of additionalData) {
    if (!action.additionalData.includes(name)) {
      throw new ProtocolError(
        'validation',
        `Additional data ${name} is not available for ${action.action}`,
      );
    }
  }
  return {
    id: context.id,
    organizationId: context.organizationId,
    ownerClientId: payload.owner_client_id,
    action: action.action,
    url: payload.url,
    secretKey: payload.secret_key,
    type: payload.type,
    description: payload.description,
    filters: filters as WebhookFilters,
    additionalData,
    apiVersion: context.apiVersion,
  };
}

/** A registration as `list_webhooks` shows it: never the secret key. */
export function describeRegistration(registration: Registration): Record<string, unknown> {
  return {
    id: registration.id,
    url: registration.url,
    ...(registration.description === undefined ? {} : { description: registration.description }),
    action: registration.action,
    ...(Object.keys(registration.filters).length ? { filters: registration.filters } : {}),
    ...(registration.additionalData.length ? { additional_data: registration.additionalData } : {}),
    owner_client_id: registration.ownerClientId,
    type: registration.type,
  };
}
