import {
  type Identity,
  listGroups,
  listGroupsProperties,
  listLicenseProperties,
} from '@threadline/accounts';
import { type MethodPayload, ProtocolError } from '@threadline/protocol';
import { isOriginAllowed } from '../../domain/allowed-origins.ts';
import {
  defaultForm,
  defaultLocalization,
  urlInfo,
  widgetConfigVersion,
} from '../../domain/widget-defaults.ts';
import { predictedAgentCard } from '../agent-cards.ts';
import type { DispatchRequest } from '../dispatcher.ts';
import type { LocalMethod, LocalMethodDependencies, LocalMethods } from './local-method.ts';
import { callService, customerRequester } from './service-calls.ts';

/**
 * What the chat widget asks around a chat (spec §3): its configuration, forms, group statuses,
 * properties and the predicted agent (greetings are `greetings.ts`). The GET ones need no token:
 * the organization is the URL's `organization_id`.
 */
export function createWidgetMethods(dependencies: LocalMethodDependencies): LocalMethods {
  const { db } = dependencies;

  const groupStatuses = async (organizationId: string, groupIds: number[]) => {
    const result = (await callService(
      dependencies,
      dependencies.subjects.routerExecute,
      'list_group_statuses',
      { group_ids: groupIds },
      customerRequester(organizationId, 'gateway'),
    )) as { groups_status: Record<string, string> };
    return result.groups_status;
  };

  const requireGroup = async (organizationId: string, groupId: number) => {
    const groups = await listGroups(db, organizationId);
    if (!groups.some((group) => group.id === groupId)) {
      throw new ProtocolError('group_not_found', `Group ${groupId} does not exist`);
    }
    return groups;
  };

  const getDynamicConfiguration: LocalMethod = async ({ request, payload }) => {
    const organizationId = organizationOf(request);
    const { group_id: groupId = 0, url } = payload as MethodPayload<'get_dynamic_configuration'>;
    const groups = await requireGroup(organizationId, groupId);
    const [statuses, allowedDomains] = await Promise.all([
      groupStatuses(
        organizationId,
        groups.map((group) => group.id),
      ),
      dependencies.originCheck.allowedDomains(organizationId),
    ]);
    const group = groups.find((candidate) => candidate.id === groupId);
    return {
      organization_id: organizationId,
      default_widget: 'livechat',
      livechat_active: true,
      livechat: {
        group_id: groupId,
        client_limit_exceeded: false,
        domain_allowed: isOriginAllowed(url, allowedDomains),
        online_group_ids: Object.entries(statuses)
          .filter(([, status]) => status !== 'offline')
          .map(([id]) => Number(id)),
        config_version: widgetConfigVersion,
        localization_version: widgetConfigVersion,
        language: group?.languageCode ?? 'en',
      },
    };
  };

  const getConfiguration: LocalMethod = async ({ request, payload }) => {
    const organizationId = organizationOf(request);
    const { group_id: groupId } = payload as MethodPayload<'get_configuration'>;
    await requireGroup(organizationId, groupId);
    const [license, [group], allowedDomains] = await Promise.all([
      listLicenseProperties(db, organizationId, { reader: 'customer' }),
      listGroupsProperties(db, organizationId, [groupId], { reader: 'customer' }),
      dependencies.originCheck.allowedDomains(organizationId),
    ]);
    return {
      buttons: [],
      integrations: {},
      allowed_domains: allowedDomains,
      properties: { license, group: group?.properties ?? {} },
    };
  };

  const getLocalization: LocalMethod = async ({ request, payload }) => {
    const { group_id: groupId, language } = payload as MethodPayload<'get_localization'>;
    await requireGroup(organizationOf(request), groupId);
    return defaultLocalization[language] ?? defaultLocalization.en;
  };

  const getForm: LocalMethod = async ({ identity, payload }) => {
    const { group_id: groupId, type } = payload as MethodPayload<'get_form'>;
    const organizationId = identity!.organizationId;
    await requireGroup(organizationId, groupId);
    // A form shows when license or group property `forms.<type>_enabled` says so.
    const [license, [group]] = await Promise.all([
      listLicenseProperties(db, organizationId, { namespace: 'forms' }),
      listGroupsProperties(db, organizationId, [groupId], { namespace: 'forms' }),
    ]);
    const key = `${type}_enabled`;
    const enabled = (group?.properties.forms?.[key] ?? license.forms?.[key]) === true;
    return enabled ? { enabled, form: defaultForm(type) } : { enabled: false };
  };

  const listGroupStatuses: LocalMethod = async ({ identity, payload }) => {
    const organizationId = identity!.organizationId;
    const body = payload as MethodPayload<'list_group_statuses'>;
    const groups = await listGroups(db, organizationId);
    const known = groups.map((group) => group.id);
    const unknown = body.all ? undefined : body.group_ids?.find((id) => !known.includes(id));
    if (unknown !== undefined) {
      throw new ProtocolError('group_not_found', `Group ${unknown} does not exist`);
    }
    return {
      groups_status: await groupStatuses(organizationId, body.all ? known : body.group_ids!),
    };
  };

  // Shared with the Configuration API: with an agent's token the reader is an agent, else a
  // customer's widget, which sees only properties customers may read.
  const readerOf = (identity: Identity | undefined) =>
    identity && identity.userType !== 'customer' ? ('agent' as const) : ('customer' as const);

  const listLicensePropertiesMethod: LocalMethod = async ({ request, identity, payload }) => {
    const { namespace, name, name_prefix } = payload as MethodPayload<'list_license_properties'>;
    const filters = { namespace, namePrefix: name_prefix, reader: readerOf(identity) };
    const values = await listLicenseProperties(db, organizationOf(request), filters);
    return onlyName(values, name);
  };

  const listGroupPropertiesMethod: LocalMethod = async ({ request, identity, payload }) => {
    const { id, namespace, name, name_prefix } = payload as MethodPayload<'list_group_properties'>;
    const filters = { namespace, namePrefix: name_prefix, reader: readerOf(identity) };
    const [group] = await listGroupsProperties(db, organizationOf(request), [id], filters);
    return onlyName(group?.properties ?? {}, name);
  };

  const predictedAgent = (organizationId: string, customerId: string, groupId: number) =>
    predictedAgentCard(dependencies, organizationId, customerId, groupId);

  const getPredictedAgent: LocalMethod = async ({ request, identity, payload }) => {
    const { group_id } = payload as MethodPayload<'get_predicted_agent'>;
    const groupId = group_id ?? request.context.customerGroupId ?? identity!.groupIds[0] ?? 0;
    const agent = await predictedAgent(identity!.organizationId, identity!.userId, groupId);
    return { agent, queue: false };
  };

  const requestWelcomeMessage: LocalMethod = async ({ request, identity, payload }) => {
    const body = payload as MethodPayload<'request_welcome_message'>;
    const groupId = body.group_id ?? request.context.customerGroupId ?? identity!.groupIds[0] ?? 0;
    const agent = await predictedAgent(identity!.organizationId, identity!.userId, groupId);
    // No welcome-message campaigns exist: the message is the predicted agent's introduction,
    // and no `incoming_welcome_message` follows.
    return { id: body.id ?? 'default', predicted_agent: agent, queue: false };
  };

  const acknowledge: LocalMethod = async () => ({});

  return {
    get_dynamic_configuration: getDynamicConfiguration,
    get_configuration: getConfiguration,
    get_localization: getLocalization,
    get_form: getForm,
    list_group_statuses: listGroupStatuses,
    list_license_properties: listLicensePropertiesMethod,
    list_group_properties: listGroupPropertiesMethod,
    get_predicted_agent: getPredictedAgent,
    request_welcome_message: requestWelcomeMessage,
    // Goals are a LiveChat marketing feature Threadline does not have: checked, nothing reached.
    check_goals: acknowledge,
    // No e-mail is sent from Threadline; the request is accepted and the callback never called.
    request_email_verification: acknowledge,
    get_url_info: async ({ payload }) => urlInfo((payload as MethodPayload<'get_url_info'>).url),
  };
}

/** The organization of a request: the token's, else the URL's `organization_id` (GET methods). */
function organizationOf(request: DispatchRequest): string {
  const organizationId = request.identity?.organizationId ?? request.context.organizationId;
  if (!organizationId) {
    throw new ProtocolError('validation', 'Wrong format of request: organization_id is required');
  }
  return organizationId;
}

function onlyName(
  values: Record<string, Record<string, unknown>>,
  name: string | undefined,
): Record<string, Record<string, unknown>> {
  if (name === undefined) return values;
  return Object.fromEntries(
    Object.entries(values)
      .map(([namespace, entries]) => [
        namespace,
        Object.fromEntries(Object.entries(entries).filter(([key]) => key === name)),
      ])
      .filter(([, entries]) => Object.keys(entries as object).length > 0),
  );
}
