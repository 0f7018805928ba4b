import { join } from 'node:path';
import {
  type AccountsDatabase,
  accountsSchema,
  createAgent,
  createClient,
  createGroup,
  createOrganization,
} from '@threadline/accounts';
import { createDatabase, type Kysely } from '@threadline/postgres';
import { createWebClient, requestCustomerToken, type WebClient } from '@threadline/sdk';
import {
  freePort,
  type IsolatedPlatform,
  type NodeProcess,
  startIsolatedPlatform,
  startNodeProcess,
} from '@threadline/testkit';
import { eventually, testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The bot as its own process, started the way its README says, against the whole platform: a
 * customer's chat is routed to the bot (group 0, priority `first`), the bot answers, and when
 * the customer asks for a person it hands the chat to the Humans group, where Ann takes it.
 */
const exampleRoot = join(import.meta.dirname, '..');

let world: IsolatedPlatform;
let accounts: Kysely<AccountsDatabase>;
let bot: NodeProcess;
let team: Awaited<ReturnType<typeof createTeam>>;

async function createTeam() {
  const organization = await createOrganization(accounts, { name: 'Bot example' });
  const humans = await createGroup(accounts, { organizationId: organization.id, name: 'Humans' });
  const ann = await createAgent(accounts, {
    organizationId: organization.id,
    email: 'ann@bot-example.test',
    name: 'Ann',
    role: 'owner',
    groups: [0, humans.id],
  });
  const widget = await createClient(accounts, { organizationId: organization.id, name: 'Widget' });
  const botApp = await createClient(accounts, { organizationId: organization.id, name: 'Bot app' });
  return { organizationId: organization.id, humansGroupId: humans.id, ann, widget, botApp };
}

beforeAll(async () => {
  world = await startIsolatedPlatform({
    ...testInfrastructure(),
    name: 'example-bot-agent',
    replicas: 1,
  });
  accounts = createDatabase<AccountsDatabase>({
    url: world.databaseUrl,
    schema: accountsSchema,
    poolSize: 1,
  });
  team = await createTeam();
  const port = await freePort();
  bot = await startNodeProcess({
    name: 'bot-agent',
    entry: join(exampleRoot, 'src/main.ts'),
    cwd: exampleRoot,
    logDir: world.logDir,
    readyUrl: `http://127.0.0.1:${port}/healthz`,
    environment: {
      THREADLINE_URL: world.gatewayUrl,
      THREADLINE_ORGANIZATION_ID: team.organizationId,
      THREADLINE_ACCOUNT_ID: team.ann.agent.accountId,
      THREADLINE_PAT: team.ann.pat,
      THREADLINE_CLIENT_ID: team.botApp.id,
      HANDOFF_GROUP_ID: String(team.humansGroupId),
      PORT: String(port),
      WEBHOOK_SECRET: 'bot-example-webhook-secret',
    },
  });
});

afterAll(async () => {
  await bot?.stop();
  await accounts?.destroy();
  await world?.stop();
});

interface ChatEvent {
  id: string;
  type: string;
  text?: string;
  author_id?: string;
}

async function threadOf(customer: WebClient, chatId: string) {
  const chat = await customer.call('get_chat', { chat_id: chatId });
  const thread = chat.thread as { events: ChatEvent[] };
  const users = chat.users as { id: string; type: string; present: boolean }[];
  return { users, events: thread.events };
}

const waitMs = 30_000;

describe('the bot agent example', () => {
  it('answers a routed chat, hands it to a human on request, and the human takes over', async () => {
    const ann = createWebClient({
      baseUrl: world.gatewayUrl,
      api: 'agent',
      credentials: { accountId: team.ann.agent.accountId, personalAccessToken: team.ann.pat },
    });
    const token = await requestCustomerToken(world.gatewayUrl, {
      grantType: 'cookie',
      clientId: team.widget.id,
      organizationId: team.organizationId,
    });
    const customer = createWebClient({
      baseUrl: world.gatewayUrl,
      api: 'customer',
      credentials: { bearer: token.access_token },
      organizationId: team.organizationId,
    });

    const started = await customer.call('start_chat', {
      chat: { thread: { events: [{ type: 'message', text: 'When are you open?' }] } },
    });
    const chatId = String(started.chat_id);
    const { botId } = await eventually(async () => {
      const { users, events } = await threadOf(customer, chatId);
      const botUser = users.find((user) => user.type === 'agent' && user.id !== team.ann.agent.id);
      expect(
        events.map((event) => event.text),
        JSON.stringify({ users, events }),
      ).toContain("We're open Monday to Friday, 9:00 to 17:00.");
      return { botId: botUser!.id };
    }, waitMs);

    // Ann starts taking chats only now: the router learns the bot's `first` priority from the
    // configuration stream, which a loaded machine may still be reading when the chat starts
    // (the router's own tests cover priorities). Here the bot must be the one accepting.
    await ann.call('set_routing_status', { status: 'accepting_chats' });
    await customer.call('send_event', {
      chat_id: chatId,
      event: { type: 'message', text: 'I would like to talk to a human' },
    });
    await eventually(async () => {
      const { users } = await threadOf(customer, chatId);
      const present = users.filter((user) => user.present).map((user) => user.id);
      expect(present, JSON.stringify(users)).toContain(team.ann.agent.id);
      expect(present).not.toContain(botId);
    }, waitMs);

    await ann.call('send_event', {
      chat_id: chatId,
      event: { type: 'message', text: 'Hi, Ann here. How can I help?' },
    });
    // The customer reads Ann's write: the projection may be a moment behind it.
    const { events } = await eventually(async () => {
      const thread = await threadOf(customer, chatId);
      expect(thread.events.at(-1)).toMatchObject({
        author_id: team.ann.agent.id,
        text: 'Hi, Ann here. How can I help?',
      });
      return thread;
    }, waitMs);
    const byBot = events.filter((event) => event.author_id === botId).map((event) => event.text);
    // Each customer message answered once, although webhooks are delivered at least once.
    expect(byBot).toEqual([
      "We're open Monday to Friday, 9:00 to 17:00.",
      'Let me find a person for you, one moment please.',
    ]);
  });
});
