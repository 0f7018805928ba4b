export {
  ensureInfrastructure,
  type Infrastructure,
  type PrivateInfrastructure,
  startPrivateInfrastructure,
} from './infrastructure.ts';
export { type IsolatedPlatform, startIsolatedPlatform } from './isolated-platform.ts';
export { createTestDatabase, type TestDatabase, uniqueNamespace } from './isolation.ts';
export {
  isReachable,
  type LocalServer,
  missingServerBinaries,
  startNatsServer,
  startPostgresServer,
} from './local-servers.ts';
export { type NodeProcess, type NodeProcessOptions, startNodeProcess } from './node-process.ts';
export {
  freePort,
  localWebhookNetworks,
  type Platform,
  type PlatformOptions,
  type ServiceName,
  type ServiceProcess,
  serviceNames,
  startPlatform,
} from './platform.ts';
