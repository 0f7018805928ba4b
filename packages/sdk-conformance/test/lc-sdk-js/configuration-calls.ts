import type { Configuration } from '@livechat/lc-sdk-js';
import { expect } from 'vitest';
import type { SdkCall } from '../../src/calls.ts';
import { type ChatContext, record } from './context.ts';

export type ConfigurationClient = InstanceType<typeof Configuration.Web>;

/**
 * Every Configuration API method of lc-sdk-js 4.0.2 (API 3.4), each thing created, read, changed
 * and deleted again. The SDK's own slips are kept as they are (its `updateGroup` sends
 * `create_group`; its webhook-state calls send `client_id`): the server must cope.
 */
export function configurationCalls(ctx: ChatContext): SdkCall<ConfigurationClient>[] {
  const created = { agentId: 'new.agent@sdk.test', botId: '', groupId: 0, webhookId: '' };
  const created2 = { autoAccessId: '' };
  const property = { name: 'sdk_score', namespace: () => ctx.clientId };
  return [
    {
      sdkMethod: 'createAgent',
      action: 'create_agent',
      run: (sdk) => sdk.createAgent(created.agentId, { name: 'New Agent' } as never),
    },
    {
      sdkMethod: 'getAgent',
      action: 'get_agent',
      run: (sdk) => sdk.getAgent(created.agentId),
      check: (result) => expect(record(result).id).toBe(created.agentId),
    },
    {
      sdkMethod: 'listAgents',
      action: 'list_agents',
      run: (sdk) => sdk.listAgents(),
      check: (result) => expect(Array.isArray(result)).toBe(true),
    },
    {
      sdkMethod: 'updateAgent',
      action: 'update_agent',
      run: (sdk) => sdk.updateAgent(created.agentId, { name: 'Renamed Agent' } as never),
    },
    {
      sdkMethod: 'suspendAgent',
      action: 'suspend_agent',
      run: (sdk) => sdk.suspendAgent(created.agentId),
    },
    {
      sdkMethod: 'unsuspendAgent',
      action: 'unsuspend_agent',
      run: (sdk) => sdk.unsuspendAgent(created.agentId),
    },
    {
      sdkMethod: 'requestAgentUnsuspension',
      action: 'request_agent_unsuspension',
      run: (sdk) => sdk.requestAgentUnsuspension(),
      // The caller (an owner) is not suspended.
      errors: ['validation', 'not_allowed', 'authorization'],
    },
    {
      sdkMethod: 'approveAgent',
      action: 'approve_agent',
      run: (sdk) => sdk.approveAgent(created.agentId),
    },
    {
      sdkMethod: 'deleteAgent',
      action: 'delete_agent',
      run: (sdk) => sdk.deleteAgent(created.agentId),
    },
    {
      sdkMethod: 'createBot',
      action: 'create_bot',
      run: (sdk) => sdk.createBot({ name: 'SDK Bot', owner_client_id: ctx.clientId } as never),
      check: (result) => {
        created.botId = String(record(result).id);
      },
    },
    {
      sdkMethod: 'getBot',
      action: 'get_bot',
      run: (sdk) => sdk.getBot(created.botId),
      check: (result) => expect(record(result).id).toBe(created.botId),
    },
    {
      sdkMethod: 'listBots',
      action: 'list_bots',
      run: (sdk) => sdk.listBots(true),
      check: (result) => expect(Array.isArray(result)).toBe(true),
    },
    {
      sdkMethod: 'updateBot',
      action: 'update_bot',
      run: (sdk) => sdk.updateBot(created.botId, { name: 'Renamed Bot' } as never),
    },
    {
      sdkMethod: 'deleteBot',
      action: 'delete_bot',
      run: (sdk) => sdk.deleteBot(created.botId),
    },
    {
      sdkMethod: 'createGroup',
      action: 'create_group',
      run: (sdk) => sdk.createGroup('SDK Group', { [ctx.agentId]: 'normal' } as never, 'en'),
      check: (result) => {
        created.groupId = Number(record(result).id);
      },
    },
    {
      sdkMethod: 'getGroup',
      action: 'get_group',
      run: (sdk) => sdk.getGroup(created.groupId),
      check: (result) => expect(record(result).id).toBe(created.groupId),
    },
    {
      sdkMethod: 'listGroups',
      action: 'list_groups',
      run: (sdk) => sdk.listGroups(),
      check: (result) => expect(Array.isArray(result)).toBe(true),
    },
    {
      // lc-sdk-js 4.0.2 sends create_group for updateGroup (with the id): the unknown `id` is
      // ignored, as LiveChat ignores unknown fields, so a second group is created.
      sdkMethod: 'updateGroup',
      action: 'create_group',
      run: (sdk) => sdk.updateGroup(created.groupId, 'SDK Group 2'),
      check: (result) => expect(record(result).id).not.toBe(created.groupId),
    },
    {
      sdkMethod: 'deleteGroup',
      action: 'delete_group',
      run: (sdk) => sdk.deleteGroup(created.groupId),
    },
    {
      sdkMethod: 'registerProperty',
      action: 'register_property',
      run: (sdk) =>
        sdk.registerProperty({
          name: property.name,
          owner_client_id: ctx.clientId,
          type: 'int',
          access: { license: { agent: ['read', 'write'] }, group: { agent: ['read', 'write'] } },
        } as never),
    },
    {
      sdkMethod: 'publishProperty',
      action: 'publish_property',
      run: (sdk) => sdk.publishProperty(property.name, ctx.clientId, true, false),
    },
    {
      sdkMethod: 'listProperties',
      action: 'list_properties',
      run: (sdk) => sdk.listProperties(ctx.clientId),
    },
    {
      sdkMethod: 'updateLicenseProperties',
      action: 'update_license_properties',
      run: (sdk) => sdk.updateLicenseProperties({ [property.namespace()]: { [property.name]: 1 } }),
    },
    {
      sdkMethod: 'listLicenseProperties',
      action: 'list_license_properties',
      run: (sdk) => sdk.listLicenseProperties(),
    },
    {
      sdkMethod: 'deleteLicenseProperties',
      action: 'delete_license_properties',
      run: (sdk) =>
        sdk.deleteLicenseProperties({ [property.namespace()]: [property.name] } as never),
    },
    {
      sdkMethod: 'updateGroupProperties',
      action: 'update_group_properties',
      run: (sdk) =>
        sdk.updateGroupProperties(0, { [property.namespace()]: { [property.name]: 2 } }),
    },
    {
      sdkMethod: 'listGroupProperties',
      action: 'list_group_properties',
      run: (sdk) => sdk.listGroupProperties(0),
    },
    {
      sdkMethod: 'deleteGroupProperties',
      action: 'delete_group_properties',
      run: (sdk) =>
        sdk.deleteGroupProperties(0, { [property.namespace()]: [property.name] } as never),
    },
    {
      sdkMethod: 'unregisterProperty',
      action: 'unregister_property',
      run: (sdk) => sdk.unregisterProperty(property.name, ctx.clientId),
      // Published above, and LiveChat: "Published properties cannot be unregistered".
      errors: ['validation'],
    },
    {
      sdkMethod: 'registerWebhook',
      action: 'register_webhook',
      run: (sdk) =>
        sdk.registerWebhook(
          {
            action: 'incoming_chat',
            secret_key: 'sdk-secret',
            url: 'http://127.0.0.1:9/incoming_chat',
            type: 'license',
          } as never,
          ctx.clientId,
        ),
      check: (result) => {
        created.webhookId = String(record(result).id);
      },
    },
    {
      sdkMethod: 'listWebhooks',
      action: 'list_webhooks',
      run: (sdk) => sdk.listWebhooks(ctx.clientId),
      check: (result) =>
        expect((result as { id: string }[]).map((hook) => hook.id)).toContain(created.webhookId),
    },
    {
      sdkMethod: 'unregisterWebhook',
      action: 'unregister_webhook',
      run: (sdk) => sdk.unregisterWebhook(created.webhookId, ctx.clientId),
    },
    {
      sdkMethod: 'listWebhookNames',
      action: 'list_webhook_names',
      run: (sdk) => sdk.listWebhookNames('3.4'),
      // 3.4's own names: one auto access webhook per rule, as 3.5 did not yet gather them.
      check: (result) =>
        expect((result as { action: string }[]).map((name) => name.action)).toEqual(
          expect.arrayContaining([
            'auto_access_added',
            'auto_access_updated',
            'auto_access_deleted',
          ]),
        ),
    },
    {
      sdkMethod: 'enableLicenseWebhooks',
      action: 'enable_license_webhooks',
      run: (sdk) => sdk.enableLicenseWebhooks(ctx.clientId),
    },
    {
      sdkMethod: 'getLicenseWebhooksState',
      action: 'get_license_webhooks_state',
      run: (sdk) => sdk.getLicenseWebhooksState(ctx.clientId),
      check: (result) => expect(record(result)).toHaveProperty('license_webhooks_enabled'),
    },
    {
      sdkMethod: 'disableLicenseWebhooks',
      action: 'disable_license_webhooks',
      run: (sdk) => sdk.disableLicenseWebhooks(ctx.clientId),
    },
    {
      sdkMethod: 'addAutoAccess',
      action: 'add_auto_access',
      run: (sdk) =>
        sdk.addAutoAccess({
          access: { groups: [0] },
          conditions: { domain: { values: [{ value: 'shop.example.test', exact_match: true }] } },
          description: 'SDK rule',
        } as never),
      check: (result) => {
        created2.autoAccessId = String(record(result).id);
      },
    },
    {
      sdkMethod: 'listAutoAccesses',
      action: 'list_auto_accesses',
      run: (sdk) => sdk.listAutoAccesses(),
      check: (result) => expect(Array.isArray(result)).toBe(true),
    },
    {
      sdkMethod: 'updateAutoAccess',
      action: 'update_auto_access',
      run: (sdk) =>
        sdk.updateAutoAccess(created2.autoAccessId, { description: 'SDK rule 2' } as never),
    },
    {
      sdkMethod: 'deleteAutoAccess',
      action: 'delete_auto_access',
      run: (sdk) => sdk.deleteAutoAccess(created2.autoAccessId),
    },
    {
      sdkMethod: 'getOrganizationID',
      action: 'get_organization_id',
      run: (sdk) => sdk.getOrganizationID(1),
    },
    {
      sdkMethod: 'getLicenseID',
      action: 'get_license_id',
      run: (sdk) => sdk.getLicenseID(ctx.organizationId),
    },
  ];
}
