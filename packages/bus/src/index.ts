export { type Bus, connectBus } from './connect.ts';
export {
  type CallOptions,
  type CommandHandler,
  callService,
  decodePush,
  encodePush,
  replyFor,
  serveCommands,
  unwrapReply,
} from './rpc.ts';
export { ensureStreams, type StreamOptions } from './streams.ts';
export { createSubjects, type Subjects, subjectToken } from './subjects.ts';
