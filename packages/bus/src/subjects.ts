/**
 * Every NATS subject and stream name Threadline uses, built from one namespace so that several
 * installations (or parallel test runs) can share a NATS server without seeing each other.
 */
const safeToken = /^[A-Za-z0-9_-]+$/;

/**
 * Ids become subject tokens. Agent ids are e-mail addresses, and a dot would split a token, so any
 * id with characters outside [A-Za-z0-9_-] is written as `~` + base64url: injective and reversible.
 */
export function subjectToken(id: string): string {
  return safeToken.test(id) ? id : `~${Buffer.from(id, 'utf8').toString('base64url')}`;
}

export function createSubjects(namespace: string) {
  const ns = namespace;
  return {
    namespace: ns,
    chatStoreExecute: `${ns}.chatstore.execute`,
    /** One chat-affine partition of chat-store's commands (chat-affinity.ts). */
    chatStorePartition: (partition: number) => `${ns}.chatstore.execute.${partition}`,
    /** chat-store replicas' heartbeats (core NATS): who is alive to own partitions. */
    chatStoreMembers: `${ns}.chatstore.members`,
    chatStoreQuery: `${ns}.chatstore.query`,
    routerExecute: `${ns}.router.execute`,
    /** Gateways' heartbeats naming the agents logged in over RTM on them (core NATS). */
    agentPresence: `${ns}.router.presence`,
    webhookExecute: `${ns}.webhook.execute`,
    /** Gateways' rate-limit counts, shared so replicas enforce one limit together (core NATS). */
    gatewayRateCounts: `${ns}.gateway.rates`,
    /** Gateways' RTM connections per user, shared for the connection limit (core NATS). */
    gatewayConnectionCounts: `${ns}.gateway.connections`,
    /** Stream holding every chat's event batches, one subject per chat. */
    chatStream: `${ns.toUpperCase().replaceAll(/[^A-Z0-9]/g, '_')}_CHATS`,
    allChatEvents: `${ns}.chat.>`,
    /** JetStream object store bucket of uploaded files (`upload_file`). */
    filesBucket: `${ns.toUpperCase().replaceAll(/[^A-Z0-9]/g, '_')}_FILES`,
    chatEvents: (organizationId: string, chatId: string) =>
      `${ns}.chat.${subjectToken(organizationId)}.${subjectToken(chatId)}`,
    /** A customer's claim on their one chat (without Messaging Mode): at most one message. */
    allCustomerClaims: `${ns}.customer.>`,
    customerClaim: (organizationId: string, customerId: string) =>
      `${ns}.customer.${subjectToken(organizationId)}.${subjectToken(customerId)}`,
    userPushes: (organizationId: string, userId: string) =>
      `${ns}.push.${subjectToken(organizationId)}.user.${subjectToken(userId)}`,
    groupPushes: (organizationId: string, groupId: number) =>
      `${ns}.push.${subjectToken(organizationId)}.group.${groupId}`,
    organizationPushes: (organizationId: string) =>
      `${ns}.push.${subjectToken(organizationId)}.all`,
    /** Stream of configuration changes (agents, groups, tags, …), one subject per organization. */
    configurationStream: `${ns.toUpperCase().replaceAll(/[^A-Z0-9]/g, '_')}_CONFIGURATION`,
    allConfigurationChanges: `${ns}.configuration.>`,
    /** Core NATS: a customer was erased; every replica drops its cached keys and aggregates. */
    customerErasures: `${ns}.erasure.customer`,
    configurationChanges: (organizationId: string) =>
      `${ns}.configuration.${subjectToken(organizationId)}`,
  };
}

export type Subjects = ReturnType<typeof createSubjects>;
