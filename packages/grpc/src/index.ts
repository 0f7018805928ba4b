export {
  checkHealth,
  createGrpcClient,
  type GrpcCallOptions,
  type GrpcClient,
  type GrpcClientOptions,
  listServices,
  type ServingStatus,
} from './client.ts';
export { healthServiceName } from './health.ts';
export { findProtoRoot } from './reflection.ts';
export { defaultDeadlineMs, type GrpcServer, type GrpcService, startGrpcServer } from './server.ts';
export * from './status.ts';
