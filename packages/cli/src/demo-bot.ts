import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort, type NodeProcess, startNodeProcess } from '@threadline/testkit';
import type { DemoAccounts } from './commands/seed-demo.ts';

/**
 * The bot agent example (examples/bot-agent) for the demo organization, as its own process, unless
 * `THREADLINE_DEMO_BOT=0`. It is in group 0 with priority `last`: it answers customers while the
 * demo agent is not accepting chats (the README's flow and `demo-chat` still reach the agent), and
 * hands a chat over to the Support group on "human".
 */
export async function startDemoBot(options: {
  demo: DemoAccounts;
  gatewayUrl: string;
  repositoryRoot: string;
  logDir: string;
}): Promise<{ process?: NodeProcess; summary: string }> {
  if (process.env.THREADLINE_DEMO_BOT === '0') return { summary: 'off (THREADLINE_DEMO_BOT=0)' };
  const { demo } = options;
  const exampleRoot = join(options.repositoryRoot, 'examples/bot-agent');
  const port = await freePort();
  // The platform is useful without the bot: a bot that cannot start is reported, not fatal.
  const bot = await startNodeProcess({
    name: 'demo-bot',
    entry: join(exampleRoot, 'src/main.ts'),
    cwd: exampleRoot,
    logDir: options.logDir,
    readyUrl: `http://127.0.0.1:${port}/healthz`,
    environment: {
      THREADLINE_URL: options.gatewayUrl,
      THREADLINE_ORGANIZATION_ID: demo.organizationId,
      THREADLINE_ACCOUNT_ID: demo.agent.accountId,
      THREADLINE_PAT: demo.agent.pat,
      THREADLINE_CLIENT_ID: demo.botClientId,
      BOT_GROUPS: '0:last',
      HANDOFF_GROUP_ID: String(demo.supportGroupId),
      PORT: String(port),
      // A new secret every run: the bot re-registers its webhooks with it (ensureWebhooks).
      WEBHOOK_SECRET: randomBytes(24).toString('hex'),
    },
  }).catch((error: unknown) => error as Error);
  if (bot instanceof Error) return { summary: `did not start: ${bot.message}` };
  return {
    process: bot,
    summary:
      '"Helper bot": answers while the agent is not accepting chats (THREADLINE_DEMO_BOT=0: off)',
  };
}
