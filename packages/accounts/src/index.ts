/**
 * Threadline's accounts: organizations, groups, agents, bots, personal access tokens, OAuth
 * clients, customers and the bearer tokens issued to them. The `accounts` schema is owned by the
 * gateway; the admin CLI uses the same functions. Every query function takes `db` first.
 */

export type {
  Agent,
  AgentRole,
  CreateAgentInput,
  CreateBotInput,
  CreatedAgent,
  CreatedBot,
  GroupMembership,
  GroupPriority,
} from './agents.ts';
export {
  createAgent,
  createBot,
  createPersonalAccessToken,
  findAgent,
  findAgentByAccountId,
} from './agents.ts';
export type { Identity } from './authenticate.ts';
export { authenticate } from './authenticate.ts';
export type { CustomerBan } from './bans.ts';
export { banCustomer, findActiveBan, listCustomerBans, unbanCustomer } from './bans.ts';
export type { Client, ClientKind } from './clients.ts';
export { createClient, findClient, listClients } from './clients.ts';
export type { CookieIdentity, Customer, CustomerChanges } from './customers.ts';
export {
  createCustomer,
  findCustomer,
  resolveCookieCustomer,
  updateCustomer,
} from './customers.ts';
export type { AccountsDatabase, CustomerPage, SessionFields } from './database.ts';
export { AccountsError } from './errors.ts';
export type { Group } from './groups.ts';
export type { RedeemedTransfer } from './identity-transfers.ts';
export {
  createIdentityTransfer,
  identityTransferLifetimeSeconds,
  redeemIdentityTransfer,
} from './identity-transfers.ts';
export { createGroup, listGroups } from './groups.ts';
export { accountsMigrations, accountsSchema, migrateAccounts } from './migrations/index.ts';
export type { Organization } from './organizations.ts';
export {
  createOrganization,
  findOrganization,
  findOrganizationByName,
  generalGroupId,
  requireOrganization,
} from './organizations.ts';
export type { Credentials } from './secrets.ts';
export { basicCredentials, hashSecret, parseCredentials } from './secrets.ts';
export type { IssuedToken } from './tokens.ts';
export {
  deleteExpiredTokens,
  issueAgentToken,
  issueBotToken,
  issueCustomerToken,
  revokeToken,
  tokenLifetimeSeconds,
} from './tokens.ts';
export { isUuid } from './validation.ts';
