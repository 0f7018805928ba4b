export { ensureInfrastructure, type Infrastructure, isReachable } from './infrastructure.ts';
export { createTestDatabase, type TestDatabase, uniqueNamespace } from './isolation.ts';
