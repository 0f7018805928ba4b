import { z } from 'zod';
import { groupIds } from './configuration-shared.ts';
import { defineMethods } from './define.ts';
import { greetingDefinition, greetingId, greetingUpdate } from './greeting-model.ts';
import {
  liveChatGreeting,
  liveChatGreetingChanges,
  liveChatGreetingsList,
  usesLiveChatForm,
} from './greetings-livechat.ts';

/**
 * The Configuration API's greeting methods (LiveChat 3.6 "Greetings"): requests in LiveChat's form
 * or in Threadline's earlier one (`greeting-model.ts`), both read into Threadline's model.
 */

/**
 * A request in LiveChat's form or in Threadline's earlier one, told apart by the keys only
 * LiveChat's has; either way the model's shape comes out, and a bad request reports the issues of
 * the form it is in.
 */
function eitherForm<Output>(liveChat: z.ZodType<Output>, threadline: z.ZodType<Output>) {
  return z.unknown().transform((payload, ctx): Output => {
    const result = (usesLiveChatForm(payload) ? liveChat : threadline).safeParse(payload);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    }
    return z.NEVER;
  });
}

export const configurationGreetingMethods = defineMethods({
  create_greeting: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: eitherForm(liveChatGreeting, greetingDefinition),
  },
  get_greeting: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ id: greetingId }),
  },
  list_greetings: {
    owner: 'gateway',
    apis: ['configuration'],
    // LiveChat's `groups`, `limit`, `page_id`; Threadline's `filters` besides.
    schema: liveChatGreetingsList.extend({
      filters: z
        .object({ group_ids: groupIds.optional(), active: z.boolean().optional() })
        .optional(),
    }),
  },
  update_greeting: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: eitherForm(liveChatGreetingChanges, greetingUpdate),
  },
  delete_greeting: {
    owner: 'gateway',
    apis: ['configuration'],
    schema: z.object({ id: greetingId }),
  },
});
