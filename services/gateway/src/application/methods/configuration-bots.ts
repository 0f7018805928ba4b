import {
  type AgentChanges,
  botTokenLifetimeSeconds,
  createBot,
  deleteAgent,
  findAgent,
  findClient,
  type Identity,
  issueBotToken,
  listAgents,
  resetBotSecret,
  updateAgent,
} from '@threadline/accounts';
import { type MethodPayload, ProtocolError } from '@threadline/protocol';
import { botState, botUpdate, botView } from '../../domain/configuration-views.ts';
import { givenFields, handle, requireManager } from './configuration-support.ts';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';

type Dependencies = Pick<LocalMethodDependencies, 'db' | 'configurationChanges'>;

/**
 * Configuration API: bots. `owner_client_id` has been checked (a client of the caller's
 * organization) and filled in from a bearer token's client by the dispatcher.
 */
export function createConfigurationBotMethods(dependencies: Dependencies): LocalMethods {
  const { db, configurationChanges } = dependencies;

  async function requireBot(caller: Identity, id: string) {
    const bot = await findAgent(db, caller.organizationId, id);
    if (bot?.type !== 'bot') throw new ProtocolError('not_found', `Bot ${id} does not exist`);
    return bot;
  }

  return {
    create_bot: handle<'create_bot'>(async (payload, caller) => {
      requireManager(caller);
      const { bot, secret } = await createBot(db, {
        organizationId: caller.organizationId,
        name: payload.name,
        ...botChanges(payload),
        ...(payload.owner_client_id ? { ownerClientId: payload.owner_client_id } : {}),
      });
      await configurationChanges.announce(caller, 'bot_created', botState(bot));
      return { id: bot.id, secret };
    }),

    get_bot: handle<'get_bot'>(async ({ id, fields }, caller) =>
      botView(await requireBot(caller, id), fields ?? []),
    ),

    // `all:false`: the caller's own bots, those of its token's client (PATs: bots no client owns).
    list_bots: handle<'list_bots'>(async ({ all, fields }, caller) => {
      const bots = await listAgents(db, caller.organizationId, {
        type: 'bot',
        ...(all ? {} : { ownerClientId: caller.clientId ?? null }),
      });
      return bots.map((bot) => botView(bot, fields ?? []));
    }),

    update_bot: handle<'update_bot'>(async (payload, caller) => {
      requireManager(caller);
      const updated = await updateAgent(
        db,
        caller.organizationId,
        { id: payload.id, type: 'bot' },
        { name: payload.name, ...botChanges(payload) },
      );
      await configurationChanges.announce(
        caller,
        'bot_updated',
        botUpdate(updated, givenFields(payload)),
        { botOwnerClientId: updated.ownerClientId },
      );
      return {};
    }),

    delete_bot: handle<'delete_bot'>(async ({ id }, caller) => {
      requireManager(caller);
      await deleteAgent(db, caller.organizationId, { id, type: 'bot' });
      await configurationChanges.announce(caller, 'bot_deleted', { id });
      return {};
    }),

    reset_bot_secret: handle<'reset_bot_secret'>(async ({ id, owner_client_id }, caller) => {
      requireManager(caller);
      const bot = await requireBot(caller, id);
      if (bot.ownerClientId && bot.ownerClientId !== owner_client_id) {
        throw new ProtocolError('authorization', `Bot ${id} belongs to another client`);
      }
      const { secret } = await resetBotSecret(db, caller.organizationId, id);
      return { secret };
    }),

    // A day-long token acting for the bot, with LiveChat's three bot scopes (`botTokenScopes`).
    issue_bot_token: handle<'issue_bot_token'>(async (payload, caller) => {
      if (payload.organization_id !== caller.organizationId) {
        throw new ProtocolError('authorization', 'The organization is not yours');
      }
      const client = await findClient(db, payload.client_id);
      if (client?.organizationId !== caller.organizationId) {
        throw new ProtocolError(
          'authorization',
          `Client ${payload.client_id} does not belong to your organization`,
        );
      }
      const token = await issueBotToken(db, {
        organizationId: caller.organizationId,
        botId: payload.bot_id,
        secret: payload.bot_secret,
        clientId: payload.client_id,
        lifetimeSeconds: botTokenLifetimeSeconds,
      });
      return { token: token.accessToken };
    }),
  };
}

function botChanges(
  payload: MethodPayload<'create_bot'> | MethodPayload<'update_bot'>,
): AgentChanges {
  return {
    avatar: payload.avatar,
    maxChatsCount: payload.max_chats_count,
    defaultGroupPriority: payload.default_group_priority,
    jobTitle: payload.job_title,
    groups: payload.groups,
    botType: payload.type,
    workScheduler: payload.work_scheduler,
  };
}
