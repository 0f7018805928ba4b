import { z } from 'zod';
import {
  agentGroups,
  agentId,
  batchRequests,
  fields,
  groupIds,
  labels,
  maxChatsCount,
  workScheduler,
} from './configuration-shared.ts';
import { defineMethods } from './define.ts';

const agentFields = fields([
  'work_scheduler',
  'groups',
  'email_subscriptions',
  'notifications',
  'job_title',
  'mobile',
  'max_chats_count',
  'suspended',
  'awaiting_approval',
  'last_logout',
]);

/** The agent settings `create_agent` and `update_agent` share. */
const agentSettings = {
  name: z.string().trim().min(1).max(255),
  login_status: z.enum(['accepting chats', 'not accepting chats']).optional(),
  job_title: z.string().max(255).optional(),
  mobile: z.string().max(32).optional(),
  max_chats_count: maxChatsCount.optional(),
  groups: agentGroups.optional(),
  notifications: labels.optional(),
  email_subscriptions: labels.optional(),
  work_scheduler: workScheduler.optional(),
  /** Not in LiveChat's 3.6 list (its avatars come from the account); Threadline stores it. */
  avatar: z.string().max(2048).optional(),
};

const byId = z.object({ id: agentId });

/** Configuration API: agents (LiveChat Configuration API 3.6 "Agents"). */
export const configurationAgentMethods = defineMethods({
  create_agent: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({
      id: z.email().max(254),
      ...agentSettings,
      // The owner exists once, from the organization's creation.
      role: z.enum(['viceowner', 'administrator', 'normal']).optional(),
      awaiting_approval: z.boolean().optional(),
    }),
  },
  get_agent: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ id: agentId, fields: agentFields.optional() }),
  },
  list_agents: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({
      filters: z
        .object({ group_ids: groupIds.optional(), suspended: z.boolean().optional() })
        .optional(),
      fields: agentFields.optional(),
    }),
  },
  update_agent: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({
      id: agentId,
      ...agentSettings,
      name: agentSettings.name.optional(),
      role: z.enum(['viceowner', 'administrator', 'normal']).optional(),
    }),
  },
  delete_agent: { owner: 'gateway', apis: ['configuration'], schema: byId },
  suspend_agent: { owner: 'gateway', apis: ['configuration'], schema: byId },
  unsuspend_agent: { owner: 'gateway', apis: ['configuration'], schema: byId },
  request_agent_unsuspension: { owner: 'gateway', apis: ['configuration'], schema: z.object({}) },
  approve_agent: { owner: 'gateway', apis: ['configuration'], schema: byId },
  batch_create_agents: { owner: 'gateway', apis: ['configuration'], schema: batchRequests },
  batch_update_agents: { owner: 'gateway', apis: ['configuration'], schema: batchRequests },
  batch_delete_agents: { owner: 'gateway', apis: ['configuration'], schema: batchRequests },
  batch_suspend_agents: { owner: 'gateway', apis: ['configuration'], schema: batchRequests },
  batch_unsuspend_agents: { owner: 'gateway', apis: ['configuration'], schema: batchRequests },
  batch_approve_agents: { owner: 'gateway', apis: ['configuration'], schema: batchRequests },
});
