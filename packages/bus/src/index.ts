export {
  chatIdOfPayload,
  chatPartition,
  chatStoreExecuteSubject,
  chatStorePartitions,
  fnv1a,
} from './chat-affinity.ts';
export { publishConfigurationChange } from './configuration-changes.ts';
export { type Bus, connectBus } from './connect.ts';
export { type ConsumerRef, registerConsumerLag } from './consumer-lag.ts';
export {
  type DurableConsumerLoop,
  type DurableConsumerOptions,
  ensureDurableConsumer,
  type MessageOutcome,
  runDurableConsumer,
} from './consumers.ts';
export {
  type ErasureNotice,
  publishErasureNotice,
  subscribeToErasureNotices,
} from './erasure-notices.ts';
export { readSubject } from './read-subject.ts';
export {
  type CallOptions,
  type CommandHandler,
  type CommandService,
  callService,
  decodePush,
  encodePush,
  replyFor,
  serveCommands,
  unwrapReply,
} from './rpc.ts';
export { ensureConfigurationStream, ensureStreams, type StreamOptions } from './streams.ts';
export { createSubjects, type Subjects, subjectToken } from './subjects.ts';
export { publishTokenRevoked, type TokenRevocation } from './token-revocations.ts';
export {
  inConsumerSpan,
  messageContext,
  natsHeaderGetter,
  natsHeaderSetter,
  publishToStream,
  publishTraced,
  traceHeaders,
} from './trace-headers.ts';
