import { type AccountsDatabase, findAgent, type Identity } from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import { ProtocolError } from '@threadline/protocol';
import { isAtLeast } from '../../domain/versions.ts';

/**
 * Up to 3.5 an agent's token may act as one of its organization's bots by naming it in the
 * `X-Author-Id` header; 3.6 replaced that with bot tokens (`issue_bot_token`), so from 3.6 on the
 * header means nothing and is ignored, as LiveChat ignores headers it does not know.
 */
export async function actAsAuthor(
  db: Kysely<AccountsDatabase>,
  version: string,
  identity: Identity | undefined,
  authorId: string | undefined,
): Promise<Identity | undefined> {
  if (!identity || !authorId?.trim() || isAtLeast(version, '3.6')) return identity;
  if (identity.userType !== 'agent') {
    throw new ProtocolError('authorization', 'Only an agent can act as a bot (X-Author-Id)');
  }
  const bot = await findAgent(db, identity.organizationId, authorId.trim());
  if (bot?.type !== 'bot') {
    throw new ProtocolError(
      'authorization',
      `X-Author-Id: no bot ${authorId} in your organization`,
    );
  }
  return {
    ...identity,
    userId: bot.id,
    userType: 'bot',
    name: bot.name,
    email: '',
    avatar: bot.avatar,
    jobTitle: bot.jobTitle,
    groupIds: bot.groups.map((group) => group.id),
    role: bot.role,
    maxChatsCount: bot.maxChatsCount,
    clientId: identity.clientId ?? bot.ownerClientId,
  };
}
