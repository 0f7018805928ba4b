export { type Api, findMethod, methodCatalog, type Owner, parsePayload } from './catalog.ts';
export {
  type ConfigurationRequester,
  configurationTargetsAllowed,
} from './configuration-scopes.ts';
export type {
  Access,
  Chat,
  ChatEvent,
  ChatSummary,
  ChatUser,
  CustomerChatSummary,
  EventType,
  LastEventOfType,
  Properties,
  RoutingStatus,
  Thread,
  ThreadSummary,
  UserType,
  Visibility,
} from './data.ts';
export {
  type ErrorEnvelope,
  type ErrorType,
  errorEnvelope,
  errorTypes,
  httpStatusByErrorType,
  isErrorType,
  isServerFault,
  ProtocolError,
} from './errors.ts';
export { eventId, formatTimestamp, newChatId, newCustomerId, newThreadId } from './format.ts';
export {
  failureFrame,
  type PushFrame,
  pushFrame,
  type RequestFrame,
  type ResponseFrame,
  requestFrameSchema,
  successFrame,
} from './frames.ts';
export type { UploadedFile } from './methods/files.ts';
export {
  type GreetingChanges,
  type GreetingCondition,
  type GreetingDefinition,
  type GreetingEvent,
  type GreetingRules,
  greetingChanges,
  greetingDefinition,
  maxGreetingsPerOrganization,
} from './methods/greeting-model.ts';
export { liveChatGreetingOf } from './methods/greetings-livechat.ts';
export {
  type EventRequest,
  eventSchema,
  type MethodName,
  type MethodPayload,
  methodDefinitions,
  methodSchemas,
} from './methods.ts';
export {
  type Direction,
  encodePageId,
  type PageRequest,
  pageIdLifetimeMs,
  pageOf,
  readingOrder,
  resolvePage,
  type SortOrder,
} from './pagination.ts';
export {
  type PushPosition,
  pushPositionKey,
  pushPositionOf,
  type ResumeCursor,
  type ResumeOutcome,
  resumeCursor,
  resumeRequest,
} from './resume.ts';
export {
  type RoutingPropertyDefinition,
  type RoutingPropertyName,
  routingProperties,
  routingPropertiesNamespace,
} from './routing-properties.ts';
export {
  agentScopes,
  botTokenScopes,
  knownScopes,
  reachesAllChats,
  scopesAllow,
  scopesGranting,
} from './scopes.ts';
export type { VersionPush } from './translation/deltas.ts';
export {
  pushesFromCore,
  requestToCore,
  responseFromCore,
  versionHasMethod,
} from './translation/translate.ts';
export {
  type ApiStage,
  type ApiVersionInfo,
  apiVersions,
  findApiVersion,
  stableVersion,
  stageHeaders,
} from './versions.ts';
export {
  defaultToleranceSeconds,
  signatureScheme,
  signWebhook,
  type Verification,
  verifySignature,
} from './webhook-signature.ts';
