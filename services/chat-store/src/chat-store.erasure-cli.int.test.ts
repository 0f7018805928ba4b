import {
  type AccountsDatabase,
  accountsSchema,
  createCustomer,
  createOrganization,
  findCustomer,
  migrateAccounts,
} from '@threadline/accounts';
import { runCli } from '@threadline/cli';
import { createDatabase, type Kysely } from '@threadline/postgres';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';

let sut: TestChatStores;
let accounts: Kysely<AccountsDatabase>;

beforeAll(async () => {
  sut = await startTestChatStores(1);
  accounts = createDatabase<AccountsDatabase>({ url: sut.database.url, schema: accountsSchema });
  await migrateAccounts(accounts);
});

afterAll(async () => {
  await accounts.destroy();
  await sut.stop();
});

/** The operator's `threadline` command, on this test's NATS namespace and database. */
async function threadline(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env: {
      DATABASE_URL: sut.database.url,
      NATS_URL: testInfrastructure().natsUrl,
      THREADLINE_NAMESPACE: sut.namespace,
    },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

describe('threadline customers erase (operator CLI)', () => {
  it('erases a customer of the organization, and prints and lists the audit', async () => {
    const organization = await createOrganization(accounts, { name: 'Cli Erasure' });
    const stranger = await createOrganization(accounts, { name: 'Elsewhere' });
    const customer = await createCustomer(accounts, {
      organizationId: organization.id,
      name: 'Olga Operatorcase',
      email: 'olga@example.com',
    });
    const requester = sut.customer({ organizationId: organization.id, userId: customer.id });
    const owner = sut.agent({ organizationId: organization.id, role: 'owner' });
    const { chat_id } = await sut.execute<{ chat_id: string }>(
      'start_chat',
      { chat: { thread: { events: [{ type: 'message', text: 'call me at 555-0199' }] } } },
      requester,
    );

    const wrongOrganization = await threadline(
      'customers',
      'erase',
      '--organization',
      stranger.id,
      '--customer',
      customer.id,
    );
    expect(wrongOrganization.code).toBe(1);
    expect(JSON.stringify(await sut.query('get_chat', { chat_id }, owner))).toContain('555-0199');

    const erased = await threadline(
      'customers',
      'erase',
      '--organization',
      organization.id,
      '--customer',
      customer.id,
    );
    expect(erased, erased.stderr).toMatchObject({ code: 0 });
    const audit = JSON.parse(erased.stdout) as Record<string, unknown>;
    expect(audit).toMatchObject({
      customer_id: customer.id,
      erased_by: 'threadline-cli',
      erased_by_type: 'system',
      key_destroyed: true,
      chats_reprojected: 1,
      customer_record_erased: true,
    });
    expect(JSON.stringify(await sut.query('get_chat', { chat_id }, owner))).not.toContain(
      '555-0199',
    );
    const record = await findCustomer(accounts, organization.id, customer.id);
    expect(record).toBeDefined();
    expect(JSON.stringify(record)).not.toMatch(/Olga|olga@example/);

    const listed = await threadline('customers', 'erasures', '--organization', organization.id);
    expect(JSON.parse(listed.stdout)).toEqual({ erasures: [audit] });
    const elsewhere = await threadline('customers', 'erasures', '--organization', stranger.id);
    expect(JSON.parse(elsewhere.stdout)).toEqual({ erasures: [] });
  });
});
