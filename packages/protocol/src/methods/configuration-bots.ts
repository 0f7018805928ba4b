import { z } from 'zod';
import {
  agentGroups,
  agentId,
  batchRequests,
  fields,
  groupPriority,
  maxChatsCount,
  ownerClientId,
  workScheduler,
} from './configuration-shared.ts';
import { defineMethods } from './define.ts';

const botFields = fields(['groups', 'work_scheduler', 'job_title', 'max_chats_count', 'timezone']);

const botSettings = {
  avatar: z.string().max(2048).optional(),
  max_chats_count: maxChatsCount.optional(),
  default_group_priority: groupPriority.optional(),
  job_title: z.string().max(255).optional(),
  groups: agentGroups.optional(),
  type: z.string().min(1).max(64).optional(),
  work_scheduler: workScheduler.optional(),
};

/** Configuration API: bots (LiveChat Configuration API 3.6 "Bots"; templates: `configuration-bot-templates.ts`). */
export const configurationBotMethods = defineMethods({
  create_bot: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({
      name: z.string().trim().min(1).max(255),
      ...botSettings,
      // Required with a personal access token; a bearer token's client owns the bot otherwise.
      owner_client_id: ownerClientId.optional(),
    }),
  },
  get_bot: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ id: agentId, fields: botFields.optional() }),
  },
  list_bots: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ all: z.boolean().optional(), fields: botFields.optional() }),
  },
  update_bot: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({
      id: agentId,
      name: z.string().trim().min(1).max(255).optional(),
      ...botSettings,
    }),
  },
  delete_bot: { owner: 'gateway', apis: ['configuration'], schema: z.object({ id: agentId }) },
  reset_bot_secret: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ id: agentId, owner_client_id: ownerClientId.optional() }),
  },
  issue_bot_token: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({
      bot_id: agentId,
      client_id: ownerClientId,
      bot_secret: z.string().min(1).max(256),
      organization_id: z.string().min(1).max(64),
    }),
  },
  batch_create_bots: { owner: 'gateway', apis: ['configuration'], schema: batchRequests },
  batch_update_bots: { owner: 'gateway', apis: ['configuration'], schema: batchRequests },
  batch_delete_bots: { owner: 'gateway', apis: ['configuration'], schema: batchRequests },
});
