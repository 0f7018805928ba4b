/** The admin CLI as a library: `up` seeds its demo organization with `seedDemo`. */

export type { CliIo } from './run.ts';
export { commands, defaultDatabaseUrl, runCli } from './run.ts';
export type { DemoAccounts } from './seed-demo.ts';
export { demoAgentEmail, demoOrganizationName, seedDemo } from './seed-demo.ts';
