import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  type AccountsDatabase,
  accountsSchema,
  authenticate,
  createAgent,
  createOrganization,
  findAgent,
  findClient,
  updateCompanyDetails,
} from '@threadline/accounts';
import { connectBus, createSubjects, decodePush } from '@threadline/bus';
import { createDatabase, type Kysely } from '@threadline/postgres';
import { createTestDatabase, type TestDatabase, uniqueNamespace } from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run.ts';
import { seedDemo } from './seed-demo.ts';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

let database: TestDatabase;
let db: Kysely<AccountsDatabase>;

// No webhook service serves this namespace: the webhooks commands find nobody to answer.
let environment: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase(testInfrastructure().databaseUrl);
  environment = {
    DATABASE_URL: database.url,
    NATS_URL: testInfrastructure().natsUrl,
    THREADLINE_NAMESPACE: uniqueNamespace('cli'),
  };
  db = createDatabase<AccountsDatabase>({ url: database.url, schema: accountsSchema });
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command in this process, as the binary does (`runCli` is all of `main.ts` but `up`), so
 * the many commands here cost no Node start each; `the binary` below runs the real one.
 */
async function threadline(...args: string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env: { ...process.env, ...environment },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** Runs the real binary, as an operator would. */
async function binary(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(packageRoot, 'bin/threadline.mjs'), ...args],
      { cwd: packageRoot, env: { ...process.env, ...environment } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function json(...args: string[]): Promise<Record<string, unknown>> {
  const outcome = await threadline(...args);
  expect(outcome, outcome.stderr).toMatchObject({ code: 0 });
  const lines = outcome.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!);
}

describe('threadline admin commands', () => {
  it('creates an organization, a group, an agent whose PAT authenticates, a bot and a client', async () => {
    const organization = await json('organization', 'create', '--name', 'Acme');
    expect(organization).toMatchObject({ name: 'Acme', groups: [{ id: 0, name: 'General' }] });
    const organizationId = organization.id as string;

    const group = await json(
      'group',
      'create',
      '--organization',
      organizationId,
      '--name',
      'Sales',
    );
    expect(group).toMatchObject({ organization_id: organizationId, id: 1, name: 'Sales' });

    const agent = await json(
      'agent',
      'create',
      '--organization',
      organizationId,
      '--email',
      'Ann@Acme.test',
      '--name',
      'Ann',
      '--groups',
      '0,1:first',
      '--role',
      'owner',
      '--max-chats',
      '8',
    );
    expect(agent).toMatchObject({
      id: 'ann@acme.test',
      role: 'owner',
      max_chats_count: 8,
      groups: [
        { id: 0, priority: 'normal' },
        { id: 1, priority: 'first' },
      ],
    });
    expect(agent.authorization).toBe(`Basic ${agent.basic_auth}`);
    expect(Buffer.from(agent.basic_auth as string, 'base64').toString()).toBe(
      `${agent.account_id}:${agent.pat}`,
    );
    expect(await authenticate(db, agent.authorization as string)).toMatchObject({
      userId: 'ann@acme.test',
      groupIds: [0, 1],
      maxChatsCount: 8,
    });

    const client = await json(
      'client',
      'create',
      '--organization',
      organizationId,
      '--name',
      'Widget',
    );
    expect(client.client_id).toMatch(/^[0-9a-f]{32}$/);
    expect(await findClient(db, client.client_id as string)).toMatchObject({
      kind: 'customer_widget',
    });

    const bot = await json(
      'bot',
      'create',
      '--organization',
      organizationId,
      '--name',
      'Robo',
      '--owner-client',
      client.client_id as string,
    );
    expect(bot).toMatchObject({ type: 'bot', expires_in: 28_800, token_type: 'Bearer' });
    expect(await authenticate(db, `Bearer ${bot.access_token}`)).toMatchObject({ userType: 'bot' });
    const again = await json(
      'bot',
      'token',
      '--organization',
      organizationId,
      '--bot',
      bot.id as string,
      '--secret',
      bot.secret as string,
    );
    expect(again.access_token).not.toBe(bot.access_token);

    const token = await json(
      'agent',
      'token',
      '--organization',
      organizationId,
      '--email',
      'ann@acme.test',
    );
    expect(await authenticate(db, `Bearer ${token.access_token}`)).toMatchObject({
      userType: 'agent',
    });
  });

  it('issues an agent token limited to the scopes given', async () => {
    const organization = await createOrganization(db, { name: 'Scoped' });
    await createAgent(db, {
      organizationId: organization.id,
      email: 'sam@scoped.test',
      name: 'Sam',
    });
    const limited = await json(
      ...['agent', 'token', '--organization', organization.id, '--email', 'sam@scoped.test'],
      ...['--scopes', 'chats--access:ro,customers:ro'],
    );
    expect((await authenticate(db, `Bearer ${limited.access_token}`))?.scopes).toEqual([
      'chats--access:ro',
      'customers:ro',
    ]);
  });

  it('creates, lists and deletes greetings', async () => {
    const organization = await json('organization', 'create', '--name', 'Greeters');
    const organizationId = String(organization.id);
    const created = await json(
      'greeting',
      'create',
      '--organization',
      organizationId,
      '--name',
      'Pricing',
      '--text',
      'Questions about plans?',
      '--url-contains',
      '/pricing',
    );
    expect(created).toMatchObject({
      organization_id: organizationId,
      id: expect.any(Number),
      name: 'Pricing',
      group_id: 0,
      active: true,
      event: { type: 'message', text: 'Questions about plans?' },
      rules: {
        match: 'all',
        conditions: [{ type: 'url', operator: 'contains', value: '/pricing' }],
      },
    });
    const listed = await json('greeting', 'list', '--organization', organizationId);
    expect(listed.greetings).toEqual([created]);
    expect(
      await json(
        'greeting',
        'delete',
        '--organization',
        organizationId,
        '--id',
        String(created.id),
      ),
    ).toEqual({ id: created.id, deleted: true });
    expect(await json('greeting', 'list', '--organization', organizationId)).toEqual({
      greetings: [],
    });

    const badRules = await threadline(
      'greeting',
      'create',
      '--organization',
      organizationId,
      '--name',
      'X',
      '--text',
      'Hi',
      '--rules',
      '{"conditions":[{"type":"url","operator":"like","value":"x"}]}',
    );
    expect(badRules).toMatchObject({ code: 1, stdout: '' });
    expect(badRules.stderr).toContain('operator');
  });

  it('shows an organization with the company details the Configuration API stored', async () => {
    const organization = await json('organization', 'create', '--name', 'Globex');
    const id = organization.id as string;
    expect(await json('organization', 'show', '--organization', id)).toEqual({
      ...organization,
      company_details: {},
    });
    await updateCompanyDetails(db, id, { company: 'Globex Corp', city: 'Springfield' });
    expect(await json('organization', 'show', '--organization', id)).toMatchObject({
      name: 'Globex',
      company_details: { company: 'Globex Corp', city: 'Springfield' },
    });
    const missing = '00000000-0000-4000-8000-000000000000';
    const unknown = await threadline('organization', 'show', '--organization', missing);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain('does not exist');
  });

  it('creates, lists and revokes PATs, telling the gateways, and revokes bearer tokens', async () => {
    const organization = await json('organization', 'create', '--name', 'Tokens');
    const org = ['--organization', organization.id as string];
    const agent = await json(
      ...['agent', 'create', ...org],
      '--email',
      'pat@x.test',
      '--name',
      'P',
    );
    const who = [...org, '--email', 'pat@x.test'];
    const weekly = await json('agent', 'pat', 'create', ...who, '--expires-in', '604800');
    expect(Date.parse(weekly.expires_at as string) - Date.now()).toBeGreaterThan(604_000_000);
    expect(weekly.authorization).toBe(`Basic ${weekly.basic_auth as string}`);
    expect(await json('agent', 'pat', 'list', ...who)).toEqual({
      account_id: agent.account_id,
      personal_access_tokens: [
        { id: agent.pat_id, created_at: expect.any(String), expires_at: null, expired: false },
        {
          id: weekly.id,
          created_at: expect.any(String),
          expires_at: weekly.expires_at,
          expired: false,
        },
      ],
    });
    expect(await authenticate(db, agent.authorization as string)).toBeDefined();

    // Revoking tells every gateway on the agent's push subject which token ended.
    const bus = await connectBus({ url: environment.NATS_URL!, name: 'cli-test' });
    const subjects = createSubjects(environment.THREADLINE_NAMESPACE!);
    const heard = bus.connection.subscribe(
      subjects.userPushes(organization.id as string, 'pat@x.test'),
      { max: 2 },
    );
    await bus.connection.flush();
    expect(await json('agent', 'pat', 'revoke', ...who, '--id', agent.pat_id as string)).toEqual({
      revoked: agent.pat_id,
      sessions_notified: true,
    });
    expect(await authenticate(db, agent.authorization as string)).toBeUndefined();
    expect(await authenticate(db, weekly.authorization as string)).toMatchObject({
      credentialId: weekly.id,
    });
    const again = await threadline(
      'agent',
      'pat',
      'revoke',
      ...who,
      '--id',
      agent.pat_id as string,
    );
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toContain('has no personal access token');

    const bearer = await json('agent', 'token', ...who);
    const bearerIdentity = await authenticate(db, `Bearer ${bearer.access_token as string}`);
    expect(
      await json('token', 'revoke', '--token', `Bearer ${bearer.access_token as string}`),
    ).toEqual({
      organization_id: organization.id,
      entity_type: 'agent',
      entity_id: 'pat@x.test',
      sessions_notified: true,
    });
    expect(await authenticate(db, `Bearer ${bearer.access_token as string}`)).toBeUndefined();
    expect(await threadline('token', 'revoke', '--token', 'dal:never-issued')).toMatchObject({
      code: 1,
    });

    const pushes = [];
    for await (const message of heard) pushes.push(decodePush(message.data));
    await bus.connection.drain();
    expect(
      pushes.map((push) => ({ action: push.action, payload: JSON.parse(push.payloadJson) })),
    ).toEqual([
      {
        action: 'agent_disconnected',
        payload: { reason: 'access_token_revoked', credential_id: agent.pat_id },
      },
      {
        action: 'agent_disconnected',
        payload: { reason: 'access_token_revoked', credential_id: bearerIdentity?.credentialId },
      },
    ]);
  }, 240_000); // eleven CLI runs

  it('reports mistakes on stderr with exit code 1 and nothing on stdout', async () => {
    const missing = await threadline('organization', 'create');
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toContain('--name is required');

    const unknownOrganization = await threadline(
      'group',
      'create',
      '--organization',
      '00000000-0000-4000-8000-000000000000',
      '--name',
      'X',
    );
    expect(unknownOrganization).toMatchObject({ code: 1, stdout: '' });
    expect(unknownOrganization.stderr).toContain('does not exist');

    const tooMany = await threadline(
      'agent',
      'create',
      '--organization',
      '00000000-0000-4000-8000-000000000000',
      '--email',
      'x@y.test',
      '--name',
      'X',
      '--max-chats',
      '100',
    );
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toContain('max');

    const unknownCommand = await threadline('frobnicate');
    expect(unknownCommand.code).toBe(1);
    expect(unknownCommand.stderr).toContain('unknown command');

    const unknownOption = await threadline(
      'organization',
      'create',
      '--name',
      'A',
      '--colour',
      'red',
    );
    expect(unknownOption.code).toBe(1);
    expect(unknownOption.stderr).toContain('colour');
  });

  it('sends the webhooks commands to the webhook service over NATS, and says when it is down', async () => {
    const replay = await threadline(
      'webhooks',
      'replay',
      '--organization',
      '00000000-0000-4000-8000-000000000000',
      '--webhook',
      'f'.repeat(32),
      '--from',
      '2026-12-07T10:00:00Z',
    );
    expect(replay).toMatchObject({ code: 1, stdout: '' });
    expect(replay.stderr).toContain('threadline webhooks replay: service_unavailable');
    // The webhook service's own tests run these commands against it (webhooks-cli.int.test.ts).
    expect((await threadline('help')).stdout).toContain('webhooks deliveries --organization ID');
  });
});

describe('the binary', () => {
  it('prints one JSON object and exits 0, or a message on stderr and exits 1', async () => {
    const created = await binary('organization', 'create', '--name', 'Binary Ltd');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'Binary Ltd' });
    const missing = await binary('organization', 'create');
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toContain('--name is required');
  });
});

describe('seedDemo', () => {
  it('is idempotent, mints a fresh PAT each run, and both PATs authenticate', async () => {
    const first = await seedDemo(db);
    const second = await seedDemo(db);
    expect(second.organizationId).toBe(first.organizationId);
    expect(second.customerClientId).toBe(first.customerClientId);
    expect(second.agent.accountId).toBe(first.agent.accountId);
    expect(second.agent.pat).not.toBe(first.agent.pat);
    for (const demo of [first, second]) {
      expect(await authenticate(db, `Basic ${demo.agent.basicAuth}`)).toMatchObject({
        userId: 'agent@demo.threadline.test',
        role: 'owner',
        organizationId: first.organizationId,
      });
    }
    expect(await findClient(db, first.customerClientId)).toMatchObject({ kind: 'customer_widget' });
    expect(second.supportGroupId).toBe(first.supportGroupId);
    expect(second.botClientId).toBe(first.botClientId);
    expect(await findClient(db, first.botClientId)).toMatchObject({ kind: 'server' });
    expect((await findAgent(db, first.organizationId, first.agent.id))?.groups).toContainEqual({
      id: first.supportGroupId,
      priority: 'normal',
    });
    const organizations = await db
      .selectFrom('organizations')
      .select('id')
      .where('name', '=', 'Demo')
      .execute();
    expect(organizations).toHaveLength(1);
  });
});
