/**
 * Threadline's accounts: organizations, groups, agents, bots, personal access tokens, OAuth
 * clients, customers and the bearer tokens issued to them. The `accounts` schema is owned by the
 * gateway; the admin CLI uses the same functions. Every query function takes `db` first.
 */

export type { AgentChanges } from './agent-changes.ts';
export { deleteAgent, resetBotSecret, setAgentState, updateAgent } from './agent-changes.ts';
export type {
  Agent,
  AgentRole,
  CreateAgentInput,
  CreateBotInput,
  CreatedAgent,
  CreatedBot,
  GroupMembership,
  GroupPriority,
  LoginStatus,
  WorkScheduler,
} from './agents.ts';
export {
  createAgent,
  createBot,
  findAgent,
  findAgentByAccountId,
  listAgents,
  registerAgent,
} from './agents.ts';
export type { Identity, VerifiedCredential } from './authenticate.ts';
export { authenticate, customerIdentity, verifyCredential } from './authenticate.ts';
export type { AutoAccessChange, AutoAccessRule, LinkedRule } from './auto-access-order.ts';
export { autoAccessChanges } from './auto-access-order.ts';
export type { AutoAccessListChange } from './auto-accesses.ts';
export {
  addAutoAccess,
  deleteAutoAccess,
  listAutoAccesses,
  maxAutoAccessesPerOrganization,
  updateAutoAccess,
} from './auto-accesses.ts';
export type { CustomerBan } from './bans.ts';
export { banCustomer, findActiveBan, listCustomerBans, unbanCustomer } from './bans.ts';
export type {
  BotTemplate,
  BotTemplateChanges,
  BotTemplateInput,
  BotTemplateRef,
} from './bot-templates.ts';
export {
  createBotTemplate,
  deleteBotTemplate,
  listBotTemplates,
  maxBotTemplatesPerClient,
  resetBotTemplateSecret,
  updateBotTemplate,
} from './bot-templates.ts';
export { allowedDomainsProperty } from './built-in-properties.ts';
export type { Channel } from './channels.ts';
export { listChannels } from './channels.ts';
export type { Client, ClientKind } from './clients.ts';
export { createClient, findClient, listClients } from './clients.ts';
export type { CompanyDetails } from './company-details.ts';
export { findCompanyDetails, updateCompanyDetails } from './company-details.ts';
export type {
  CookieIdentity,
  Customer,
  CustomerChanges,
  CustomerCursor,
  CustomerListFilters,
  RangeFilter,
  TextFilter,
} from './customers.ts';
export {
  countCustomers,
  createCustomer,
  findCustomer,
  listCustomers,
  resolveCookieCustomer,
  updateCustomer,
} from './customers.ts';
export type { AccountsDatabase, CustomerPage, SessionFields } from './database.ts';
export type { CustomerErasure, ErasureRequest, ShreddedChats } from './erasures.ts';
export { eraseCustomer, erasureView, listCustomerErasures } from './erasures.ts';
export { AccountsError } from './errors.ts';
export type { PushNotificationSetting } from './follows.ts';
export {
  followCustomer,
  listCustomerFollowers,
  listPushNotifications,
  setPushNotifications,
  unfollowCustomer,
} from './follows.ts';
export type {
  CustomerVisit,
  GreetingCounts,
  GreetingDisplay,
  GreetingDisplayState,
} from './greeting-displays.ts';
export {
  countGreetingDisplays,
  findGreetingDisplay,
  listGreetingDisplays,
  recordGreetingDisplay,
  setGreetingDisplayState,
  touchVisit,
  visitTimeoutMinutes,
} from './greeting-displays.ts';
export type { Greeting } from './greetings.ts';
export {
  createGreeting,
  deleteGreeting,
  findGreeting,
  greetingDefinitionOf,
  listGreetings,
  updateGreeting,
} from './greetings.ts';
export type { AgentPriorities, Group, GroupChanges } from './groups.ts';
export {
  createGroup,
  deleteGroup,
  findGroup,
  listAgentPriorities,
  listGroups,
  maxGroupsPerOrganization,
  updateGroup,
} from './groups.ts';
export type { IdempotentRequest } from './idempotent-requests.ts';
export {
  claimIdempotentRequest,
  completeIdempotentRequest,
  deleteExpiredIdempotentRequests,
  findIdempotentRequest,
  releaseIdempotentRequest,
  takeOverIdempotentRequest,
} from './idempotent-requests.ts';
export type { RedeemedTransfer } from './identity-transfers.ts';
export {
  createIdentityTransfer,
  identityTransferLifetimeSeconds,
  redeemIdentityTransfer,
} from './identity-transfers.ts';
export { accountsMigrations, accountsSchema, migrateAccounts } from './migrations/index.ts';
export type { Organization } from './organizations.ts';
export {
  createOrganization,
  findOrganization,
  findOrganizationByLicenseId,
  findOrganizationByName,
  generalGroupId,
  requireOrganization,
} from './organizations.ts';
export type {
  CreatedPersonalAccessToken,
  PersonalAccessToken,
  PersonalAccessTokenOptions,
} from './personal-access-tokens.ts';
export {
  createPersonalAccessToken,
  listPersonalAccessTokens,
  revokePersonalAccessToken,
} from './personal-access-tokens.ts';
export {
  deleteGroupProperties,
  deleteLicenseProperties,
  listGroupProperties,
  listGroupsProperties,
  listLicenseProperties,
  listPropertyConfigs,
  loadPropertyConfigs,
  publishProperty,
  registerProperty,
  unregisterProperty,
  updateGroupProperties,
  updateLicenseProperties,
} from './properties.ts';
export type {
  ChatPropertyLocation,
  PropertyWrite,
  PropertyWriteProblem,
  PropertyWriter,
} from './property-access.ts';
export { propertyWriteProblem } from './property-access.ts';
export type {
  PropertyConfig,
  PropertyFilters,
  PropertyNames,
  PropertyRegistration,
  PropertyValues,
} from './property-values.ts';
export type { Credentials } from './secrets.ts';
export { basicCredentials, hashSecret, parseCredentials } from './secrets.ts';
export type { Tag } from './tags.ts';
export {
  createTag,
  deleteTag,
  findTag,
  listTags,
  maxTagsPerOrganization,
  updateTag,
} from './tags.ts';
export type { IssuedToken, RevokedToken } from './tokens.ts';
export {
  botTokenLifetimeSeconds,
  deleteExpiredTokens,
  issueAgentToken,
  issueBotToken,
  issueCustomerToken,
  revokeToken,
  tokenLifetimeSeconds,
} from './tokens.ts';
export { isUuid } from './validation.ts';
