import {
  type BotTemplate,
  type BotTemplateChanges,
  createBotTemplate,
  deleteBotTemplate,
  listBotTemplates,
  resetBotTemplateSecret,
  updateBotTemplate,
} from '@threadline/accounts';
import type { MethodPayload } from '@threadline/protocol';
import { botState, botUpdate } from '../../domain/configuration-views.ts';
import { givenFields, handle, requireManager } from './configuration-support.ts';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';

type Dependencies = Pick<LocalMethodDependencies, 'db' | 'configurationChanges'>;

/**
 * Configuration API: bot templates (`@threadline/accounts` `bot-templates.ts` says what
 * "existing installations" are here: this organization). `owner_client_id` has been checked and
 * filled in by the dispatcher, as for bots. Managers change templates; every agent and bot lists
 * them. A template's bot changing here is announced like any bot (`bot_created` …).
 */
export function createConfigurationBotTemplateMethods(dependencies: Dependencies): LocalMethods {
  const { db, configurationChanges } = dependencies;
  const refOf = (payload: { id: string; owner_client_id?: string | undefined }) => ({
    id: payload.id,
    ownerClientId: payload.owner_client_id as string,
  });
  const installHere = (payload: { affect_existing_installations?: boolean | undefined }) => ({
    installHere: payload.affect_existing_installations === true,
  });

  return {
    create_bot_template: handle<'create_bot_template'>(async (payload, caller) => {
      requireManager(caller);
      const { id, secret, bot } = await createBotTemplate(
        db,
        caller.organizationId,
        payload.owner_client_id as string,
        { name: payload.name, ...templateChanges(payload) },
        installHere(payload),
      );
      if (bot) await configurationChanges.announce(caller, 'bot_created', botState(bot));
      return { id, secret };
    }),

    update_bot_template: handle<'update_bot_template'>(async (payload, caller) => {
      requireManager(caller);
      const { bot } = await updateBotTemplate(
        db,
        caller.organizationId,
        refOf(payload),
        { name: payload.name, ...templateChanges(payload) },
        installHere(payload),
      );
      if (bot) {
        const fields = givenFields(payload, [
          'id',
          'owner_client_id',
          'affect_existing_installations',
        ]);
        await configurationChanges.announce(caller, 'bot_updated', botUpdate(bot, fields));
      }
      return {};
    }),

    delete_bot_template: handle<'delete_bot_template'>(async (payload, caller) => {
      requireManager(caller);
      const ref = refOf(payload);
      const { botDeleted } = await deleteBotTemplate(
        db,
        caller.organizationId,
        ref,
        installHere(payload),
      );
      if (botDeleted) await configurationChanges.announce(caller, 'bot_deleted', { id: ref.id });
      return {};
    }),

    list_bot_templates: handle<'list_bot_templates'>(async (payload, caller) => {
      const templates = await listBotTemplates(
        db,
        caller.organizationId,
        payload.owner_client_id as string,
      );
      return templates.map(templateView);
    }),

    reset_bot_template_secret: handle<'reset_bot_template_secret'>(async (payload, caller) => {
      requireManager(caller);
      return resetBotTemplateSecret(
        db,
        caller.organizationId,
        refOf(payload),
        installHere(payload),
      );
    }),
  };
}

function templateChanges(
  payload: MethodPayload<'create_bot_template'> | MethodPayload<'update_bot_template'>,
): Omit<BotTemplateChanges, 'name'> {
  return {
    avatar: payload.avatar,
    maxChatsCount: payload.max_chats_count,
    defaultGroupPriority: payload.default_group_priority,
    jobTitle: payload.job_title,
  };
}

/** `list_bot_templates` entries: LiveChat's sample (`id`, `name`, `avatar_path`) and the settings. */
function templateView(template: BotTemplate): Record<string, unknown> {
  return {
    id: template.id,
    name: template.name,
    avatar_path: template.avatar,
    default_group_priority: template.defaultGroupPriority,
    max_chats_count: template.maxChatsCount,
    job_title: template.jobTitle,
    owner_client_id: template.ownerClientId,
  };
}
