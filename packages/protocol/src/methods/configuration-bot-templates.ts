import { z } from 'zod';
import { agentId, groupPriority, maxChatsCount, ownerClientId } from './configuration-shared.ts';
import { defineMethods } from './define.ts';

const templateSettings = {
  avatar: z.string().max(2048).optional(),
  max_chats_count: maxChatsCount.optional(),
  default_group_priority: groupPriority.optional(),
  job_title: z.string().max(255).optional(),
};

/** Whether the change reaches the bots already made from the template. */
const affectExistingInstallations = z.boolean().optional();
// Required with a personal access token; a bearer token's client owns the templates otherwise.
const owner = ownerClientId.optional();

/** A template of the owner client, and whether the change reaches its bots. */
const templateRef = z.object({
  id: agentId,
  owner_client_id: owner,
  affect_existing_installations: affectExistingInstallations,
});

/** Configuration API: bot templates (LiveChat Configuration API 3.5–3.6 "Bots"). */
export const configurationBotTemplateMethods = defineMethods({
  create_bot_template: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({
      name: z.string().trim().min(1).max(255),
      ...templateSettings,
      owner_client_id: owner,
      affect_existing_installations: affectExistingInstallations,
    }),
  },
  update_bot_template: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: templateRef.extend({
      name: z.string().trim().min(1).max(255).optional(),
      ...templateSettings,
    }),
  },
  delete_bot_template: { owner: 'gateway', apis: ['configuration'], schema: templateRef },
  list_bot_templates: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ owner_client_id: owner }),
  },
  reset_bot_template_secret: { owner: 'gateway', apis: ['configuration'], schema: templateRef },
});
