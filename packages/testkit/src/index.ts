export { ensureInfrastructure, type Infrastructure, isReachable } from './infrastructure.ts';
export { createTestDatabase, type TestDatabase, uniqueNamespace } from './isolation.ts';
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
