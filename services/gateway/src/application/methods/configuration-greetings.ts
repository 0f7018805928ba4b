import {
  createGreeting,
  deleteGreeting,
  findGreeting,
  listGreetings,
  updateGreeting,
} from '@threadline/accounts';
import { ProtocolError } from '@threadline/protocol';
import { greetingView } from '../../domain/configuration-views.ts';
import { handle, requireManager } from './configuration-support.ts';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';

/**
 * Configuration API: greeting campaigns, a Threadline extension (LiveChat publishes no greeting
 * methods). Every agent of the organization may read them; managers change them. Changes are
 * not announced: LiveChat has no push or webhook for greetings.
 */
export function createConfigurationGreetingMethods(
  dependencies: Pick<LocalMethodDependencies, 'db'>,
): LocalMethods {
  const { db } = dependencies;

  return {
    create_greeting: handle<'create_greeting'>(async (definition, caller) => {
      requireManager(caller);
      const greeting = await createGreeting(db, {
        organizationId: caller.organizationId,
        authorId: caller.userId,
        definition,
      });
      return { id: greeting.id };
    }),

    get_greeting: handle<'get_greeting'>(async ({ id }, caller) => {
      const greeting = await findGreeting(db, caller.organizationId, id);
      if (!greeting) throw new ProtocolError('not_found', `Greeting ${id} does not exist`);
      return greetingView(greeting);
    }),

    list_greetings: handle<'list_greetings'>(async ({ filters }, caller) => {
      const greetings = await listGreetings(db, caller.organizationId, {
        groupIds: filters?.group_ids,
        active: filters?.active,
      });
      return greetings.map(greetingView);
    }),

    update_greeting: handle<'update_greeting'>(async ({ id, ...changes }, caller) => {
      requireManager(caller);
      await updateGreeting(db, caller.organizationId, id, changes);
      return {};
    }),

    delete_greeting: handle<'delete_greeting'>(async ({ id }, caller) => {
      requireManager(caller);
      await deleteGreeting(db, caller.organizationId, id);
      return {};
    }),
  };
}
