import {
  createGreeting,
  deleteGreeting,
  findGreeting,
  listGreetings,
  updateGreeting,
} from '@threadline/accounts';
import { ProtocolError, pageOf, resolvePage } from '@threadline/protocol';
import { greetingView } from '../../domain/configuration-views.ts';
import { handle, requireManager } from './configuration-support.ts';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';

/** LiveChat's default and largest page of `list_greetings`. */
const greetingsPerPage = 100;

interface GreetingFilters {
  groupIds?: number[] | undefined;
  active?: boolean | undefined;
}

/**
 * Configuration API: greeting campaigns (LiveChat 3.6 "Greetings"; requests in LiveChat's form or
 * Threadline's earlier one, answers in LiveChat's shape). Every agent of the organization may
 * read them; managers change them. Changes are not announced: LiveChat has no push or webhook for
 * greetings. This gateway's greeting checks read the organization's greetings afresh after a
 * change; other gateways' within `activeGreetingsTtlMs`.
 */
export function createConfigurationGreetingMethods(
  dependencies: Pick<LocalMethodDependencies, 'db' | 'greetings'>,
): LocalMethods {
  const { db, greetings: offers } = dependencies;

  return {
    create_greeting: handle<'create_greeting'>(async (definition, caller) => {
      requireManager(caller);
      const greeting = await createGreeting(db, {
        organizationId: caller.organizationId,
        authorId: caller.userId,
        definition,
      });
      offers.greetingsChanged(caller.organizationId);
      return { id: greeting.id };
    }),

    get_greeting: handle<'get_greeting'>(async ({ id }, caller) => {
      const greeting = await findGreeting(db, caller.organizationId, id);
      if (!greeting) throw new ProtocolError('not_found', `Greeting ${id} does not exist`);
      return greetingView(greeting);
    }),

    // At most 500 greetings per organization: read them all and page in memory, oldest first.
    list_greetings: handle<'list_greetings'>(async (payload, caller) => {
      const { groups, filters } = payload;
      const given =
        groups || filters
          ? { groupIds: groups ?? filters?.group_ids, active: filters?.active }
          : undefined;
      const page = resolvePage<GreetingFilters, number>(payload, given, {
        limit: greetingsPerPage,
        filters: {},
      });
      const greetings = await listGreetings(db, caller.organizationId, page.filters);
      const after = page.cursor;
      const rest = after === undefined ? greetings : greetings.filter(({ id }) => id > after);
      const { items, next_page_id } = pageOf(
        rest.slice(0, page.limit + 1),
        { ...page, sortOrder: 'asc', direction: 'forward' },
        ({ id }) => id,
      );
      return {
        greetings: items.map(greetingView),
        found_greetings: greetings.length,
        ...(next_page_id ? { next_page_id } : {}),
      };
    }),

    update_greeting: handle<'update_greeting'>(async ({ id, ...changes }, caller) => {
      requireManager(caller);
      await updateGreeting(db, caller.organizationId, id, changes);
      offers.greetingsChanged(caller.organizationId);
      return {};
    }),

    delete_greeting: handle<'delete_greeting'>(async ({ id }, caller) => {
      requireManager(caller);
      await deleteGreeting(db, caller.organizationId, id);
      offers.greetingsChanged(caller.organizationId);
      return {};
    }),
  };
}
