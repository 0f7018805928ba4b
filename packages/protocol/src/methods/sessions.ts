import { z } from 'zod';
import { resumeRequest } from '../resume.ts';
import { chatApis, defineMethods } from './define.ts';
import { pushFilter } from './shared.ts';

/** RTM session methods, answered by the gateway itself. */
export const sessionMethods = defineMethods({
  login: {
    owner: 'gateway',
    apis: chatApis,
    rtmOnly: true,
    schema: z.object({
      token: z.string().min(1),
      timezone: z.string().optional(),
      reconnect: z.boolean().optional(),
      application: z.object({ name: z.string(), version: z.string() }).loose().optional(),
      away: z.boolean().optional(),
      customer_monitoring_level: z.string().optional(),
      pushes: pushFilter.optional(),
      customer: z.record(z.string(), z.unknown()).optional(),
      customer_page: z.object({ url: z.string(), title: z.string().optional() }).optional(),
      customer_side_storage: z.record(z.string(), z.unknown()).optional(),
      is_mobile: z.boolean().optional(),
      group_id: z.number().int().min(0).optional(),
      referrer: z.string().optional(),
      /**
       * Threadline's addition: the client sends a unique request_id per request, so a request
       * repeated with its request_id (after a reconnect) is answered, not run again.
       */
      idempotent_request_ids: z.boolean().optional(),
      /**
       * Threadline's addition: the pushes missed since these cursors are replayed right after the
       * login response, then live ones follow, with no gap and no duplicate (`resume.ts`).
       */
      resume: resumeRequest.optional(),
    }),
  },
  /** Threadline's addition: `login.resume` for a socket that is already logged in. */
  resume_chats: { owner: 'gateway', apis: chatApis, rtmOnly: true, schema: resumeRequest },
  ping: { owner: 'gateway', apis: chatApis, rtmOnly: true, schema: z.object({}).loose() },
});
