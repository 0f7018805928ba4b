import { z } from 'zod';
import { agentId, fields, groupId, groupIds, groupPriority } from './configuration-shared.ts';
import { defineMethods } from './define.ts';

const groupFields = fields(['agent_priorities', 'routing_status']);
const agentPriorities = z.record(agentId, groupPriority);
const groupName = z.string().trim().min(1).max(180);
const languageCode = z.string().min(2).max(10);
const tagName = z.string().trim().min(1).max(255);

/** Configuration API: groups and tags (LiveChat Configuration API 3.6 "Groups", "Tags"). */
export const configurationGroupMethods = defineMethods({
  create_group: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({
      name: groupName,
      language_code: languageCode.optional(),
      // LiveChat marks it required; SDKs omit it for an empty group, which is what it means.
      agent_priorities: agentPriorities.optional(),
    }),
  },
  get_group: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ id: groupId, fields: groupFields.optional() }),
  },
  list_groups: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ fields: groupFields.optional() }),
  },
  update_group: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({
      id: groupId,
      name: groupName.optional(),
      language_code: languageCode.optional(),
      agent_priorities: agentPriorities.optional(),
    }),
  },
  delete_group: { owner: 'gateway', apis: ['configuration'], schema: z.object({ id: groupId }) },
  create_tag: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ name: tagName, group_ids: groupIds.optional() }),
  },
  list_tags: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ filters: z.object({ group_ids: groupIds.optional() }).optional() }),
  },
  update_tag: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ name: tagName, group_ids: groupIds.optional() }),
  },
  delete_tag: { owner: 'gateway', apis: ['configuration'], schema: z.object({ name: tagName }) },
});
