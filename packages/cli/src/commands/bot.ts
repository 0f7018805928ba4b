import { createBot, issueBotToken } from '@threadline/accounts';
import { agentJson, definedOptions, groupsOption, tokenJson } from './agent.ts';
import type { Command } from './command.ts';
import { optionalString, requiredString } from './options.ts';

export const botCreate: Command = {
  name: 'bot create',
  usage:
    'bot create --organization ID --name N [--owner-client ID] [--groups 0,1] [--max-chats 6] [--job-title T] [--avatar URL]',
  options: {
    organization: { type: 'string' },
    name: { type: 'string' },
    'owner-client': { type: 'string' },
    groups: { type: 'string' },
    'max-chats': { type: 'string' },
    'job-title': { type: 'string' },
    avatar: { type: 'string' },
  },
  async run(db, values) {
    const organizationId = requiredString(values, 'organization');
    const ownerClientId = optionalString(values, 'owner-client');
    const { bot, secret } = await createBot(db, {
      organizationId,
      name: requiredString(values, 'name'),
      groups: groupsOption(values),
      ...(ownerClientId ? { ownerClientId } : {}),
      ...definedOptions(values),
    });
    // A first token right away, so a bot can start working from this one command's output.
    const token = await issueBotToken(db, { organizationId, botId: bot.id, secret });
    return { ...agentJson(bot), secret, ...tokenJson(token) };
  },
};

export const botToken: Command = {
  name: 'bot token',
  usage: 'bot token --organization ID --bot ID --secret S',
  options: {
    organization: { type: 'string' },
    bot: { type: 'string' },
    secret: { type: 'string' },
  },
  async run(db, values) {
    const token = await issueBotToken(db, {
      organizationId: requiredString(values, 'organization'),
      botId: requiredString(values, 'bot'),
      secret: requiredString(values, 'secret'),
    });
    return tokenJson(token);
  },
};
