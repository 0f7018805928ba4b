import {
  createGroup,
  createTag,
  deleteGroup,
  deleteTag,
  findGroup,
  type Group,
  type Identity,
  listAgentPriorities,
  listGroups,
  listTags,
  updateGroup,
  updateTag,
} from '@threadline/accounts';
import { ProtocolError } from '@threadline/protocol';
import { groupRoutingStatus, groupView, tagView } from '../../domain/configuration-views.ts';
import type { DispatchRequest } from '../dispatcher.ts';
import { handle, requireManager, routingStatuses } from './configuration-support.ts';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';

type Dependencies = Pick<
  LocalMethodDependencies,
  'db' | 'services' | 'subjects' | 'configurationChanges'
>;

/** Configuration API: groups (with members' priorities) and tags. */
export function createConfigurationGroupMethods(dependencies: Dependencies): LocalMethods {
  const { db, configurationChanges } = dependencies;

  /** Groups as get_group / list_groups show them, with the extra `fields` asked for. */
  async function views(
    caller: Identity,
    request: DispatchRequest,
    groups: Group[],
    fields: readonly string[] = [],
  ) {
    const wantsPriorities = fields.includes('agent_priorities');
    const wantsStatus = fields.includes('routing_status');
    const priorities =
      wantsPriorities || wantsStatus
        ? await listAgentPriorities(
            db,
            caller.organizationId,
            groups.map((group) => group.id),
          )
        : undefined;
    const statuses = wantsStatus ? await routingStatuses(dependencies, caller, request) : undefined;
    return groups.map((group) => {
      const members = priorities?.get(group.id) ?? {};
      return groupView(group, {
        agentPriorities: wantsPriorities ? members : undefined,
        routingStatus: statuses && groupRoutingStatus(Object.keys(members), statuses),
      });
    });
  }

  async function requireGroup(caller: Identity, id: number): Promise<Group> {
    const group = await findGroup(db, caller.organizationId, id);
    if (!group) throw new ProtocolError('group_not_found', `Group ${id} does not exist`);
    return group;
  }

  async function membersOf(caller: Identity, id: number) {
    return (await listAgentPriorities(db, caller.organizationId, [id])).get(id) ?? {};
  }

  return {
    create_group: handle<'create_group'>(async (payload, caller) => {
      requireManager(caller);
      const group = await createGroup(db, {
        organizationId: caller.organizationId,
        name: payload.name,
        ...(payload.language_code ? { languageCode: payload.language_code } : {}),
        ...(payload.agent_priorities ? { agentPriorities: payload.agent_priorities } : {}),
      });
      await configurationChanges.announce(
        caller,
        'group_created',
        groupView(group, { agentPriorities: await membersOf(caller, group.id) }),
      );
      return { id: group.id };
    }),

    get_group: handle<'get_group'>(async ({ id, fields }, caller, request) => {
      const [view] = await views(caller, request, [await requireGroup(caller, id)], fields);
      return view;
    }),

    list_groups: handle<'list_groups'>(async ({ fields }, caller, request) =>
      views(caller, request, await listGroups(db, caller.organizationId), fields),
    ),

    update_group: handle<'update_group'>(async (payload, caller) => {
      requireManager(caller);
      const group = await updateGroup(db, caller.organizationId, payload.id, {
        name: payload.name,
        languageCode: payload.language_code,
        agentPriorities: payload.agent_priorities,
      });
      await configurationChanges.announce(caller, 'group_updated', {
        id: group.id,
        ...(payload.name !== undefined ? { name: group.name } : {}),
        ...(payload.language_code !== undefined ? { language_code: group.languageCode } : {}),
        ...(payload.agent_priorities
          ? { agent_priorities: await membersOf(caller, group.id) }
          : {}),
      });
      return {};
    }),

    delete_group: handle<'delete_group'>(async ({ id }, caller) => {
      requireManager(caller);
      await deleteGroup(db, caller.organizationId, id);
      await configurationChanges.announce(caller, 'group_deleted', { id });
      return {};
    }),

    create_tag: handle<'create_tag'>(async ({ name, group_ids }, caller) => {
      requireManager(caller);
      const tag = await createTag(db, {
        organizationId: caller.organizationId,
        name,
        groupIds: group_ids ?? [],
        authorId: caller.userId,
      });
      await configurationChanges.announce(caller, 'tag_created', tagView(tag));
      return {};
    }),

    list_tags: handle<'list_tags'>(async ({ filters }, caller) => {
      const tags = await listTags(db, caller.organizationId, { groupIds: filters?.group_ids });
      return tags.map(tagView);
    }),

    update_tag: handle<'update_tag'>(async ({ name, group_ids }, caller) => {
      requireManager(caller);
      const tag = await updateTag(db, {
        organizationId: caller.organizationId,
        name,
        groupIds: group_ids,
      });
      await configurationChanges.announce(caller, 'tag_updated', {
        name: tag.name,
        group_ids: tag.groupIds,
      });
      return {};
    }),

    delete_tag: handle<'delete_tag'>(async ({ name }, caller) => {
      requireManager(caller);
      await deleteTag(db, caller.organizationId, name);
      await configurationChanges.announce(caller, 'tag_deleted', { name });
      return {};
    }),
  };
}
