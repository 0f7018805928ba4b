import { findAgent, listChannels, updateCompanyDetails } from '@threadline/accounts';
import { ProtocolError } from '@threadline/protocol';
import { handle, requireManager } from './configuration-support.ts';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';

type Dependencies = Pick<LocalMethodDependencies, 'db'>;

/**
 * Configuration API "Other": what a self-hosted product without billing plans, a marketplace or
 * e-mail can truly answer (services/gateway/README.md, "Configuration API").
 */
export function createConfigurationOtherMethods(dependencies: Dependencies): LocalMethods {
  const { db } = dependencies;

  return {
    // Channels customers came through (accounts `channels.ts`); every agent and bot reads them.
    list_channels: handle<'list_channels'>(async (_payload, caller) => {
      const channels = await listChannels(db, caller.organizationId);
      return channels.map((channel) => ({
        channel_type: channel.type,
        channel_subtype: channel.subtype,
        first_activity_timestamp: channel.firstActivityAt.toISOString().replace(/\.\d+Z$/, 'Z'),
      }));
    }),

    // An organization is made by an administrator (`threadline organization create`), not
    // activated through a sign-up link carrying source parameters: none were passed.
    get_product_source: handle<'get_product_source'>(async () => ({
      source_id: '',
      source_type: '',
      source_url: '',
    })),

    // No plan limits anything here, so no resource exceeds any plan's limit.
    check_product_limits_for_plan: handle<'check_product_limits_for_plan'>(
      async (_payload, caller) => {
        requireManager(caller);
        return [];
      },
    ),

    // Threadline sends no e-mail, so no address bounced: there is nothing to reactivate.
    reactivate_email: handle<'reactivate_email'>(async ({ agent_id }, caller) => {
      requireManager(caller);
      const agent = await findAgent(db, caller.organizationId, agent_id);
      if (agent?.type !== 'agent') {
        throw new ProtocolError('not_found', `Agent ${agent_id} does not exist`);
      }
      return {};
    }),

    update_company_details: handle<'update_company_details'>(async (payload, caller) => {
      requireManager(caller);
      const { enrich: _enrich, ...details } = payload;
      await updateCompanyDetails(db, caller.organizationId, details);
      return {};
    }),
  };
}
