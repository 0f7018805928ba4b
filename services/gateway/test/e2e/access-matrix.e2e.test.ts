import {
  type CreatedAgent,
  createAgent,
  createClient,
  createGroup,
  createOrganization,
  issueAgentToken,
} from '@threadline/accounts';
import { findMethod, knownScopes, methodCatalog, scopesGranting } from '@threadline/protocol';
import {
  type Credentials,
  createWebClient,
  RtmClient,
  requestCustomerToken,
  type WebApi,
} from '@threadline/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  basic,
  type Caller,
  call,
  madeUp,
  withoutIds,
} from './access-matrix.calls.ts';
import { notCovered } from './access-matrix.not-covered.ts';
import {
  type CallerKind,
  greeting,
  type MatrixRow,
  matrix,
  type Targets,
} from './access-matrix.ts';
import { type E2eWorld, startE2eWorld } from './e2e-world.ts';

/**
 * The access matrix (access-matrix.ts) against the whole platform: each row called by each caller
 * that must not reach the first organization's data, with its real ids and with made-up ids of the
 * same shape. Both answers must be the expected one and equal; afterwards the organization's data
 * reads back unchanged.
 */

const allChatsScopes: ReadonlySet<string> = new Set(['chats--all:ro', 'chats--all:rw']);

describe('access matrix: methods × callers who must not reach the data', () => {
  let world: E2eWorld;
  let baseUrl: string;
  let targets: Targets;
  let organizationId: string;
  let owner: Caller;
  let callers: Record<CallerKind, Partial<Record<WebApi, Caller>>>;
  let customerSocket: RtmClient;
  let chatCustomerCredentials: Credentials;
  /** Scope-limited tokens of the chat's agent, by the scopes left out. */
  const scopeTokens = new Map<string, Caller>();
  let issueWithout: (left: readonly string[]) => Promise<Caller>;
  /** A bearer token of the first organization's agent, limited to `scopes`. */
  let bearer: (holder: CreatedAgent, scopes: readonly string[]) => Promise<Caller>;
  let outsiderAgent: CreatedAgent;
  let chatAgent: CreatedAgent;
  let normalAgent: CreatedAgent;
  let botSecret: string;

  beforeAll(async () => {
    world = await startE2eWorld({ name: 'access-matrix', replicas: 1 });
    baseUrl = world.platform.gatewayUrls[0]!;
    const db = world.accounts;

    const first = await createOrganization(db, { name: 'First' });
    organizationId = first.id;
    const support = await createGroup(db, { organizationId, name: 'Support' });
    const sales = await createGroup(db, { organizationId, name: 'Sales' });
    const agent = (name: string, role: 'owner' | 'administrator' | 'normal', groups: number[]) =>
      createAgent(db, {
        organizationId,
        email: `${name.toLowerCase()}@first.test`,
        name,
        role,
        groups,
      });
    const ann = await agent('Ann', 'owner', [0, support.id]);
    const tom = await agent('Tom', 'normal', [0, support.id]);
    const nora = await agent('Nora', 'normal', [0, support.id]);
    const outsider = await agent('Otto', 'administrator', [sales.id]);
    const nils = await agent('Nils', 'normal', [sales.id]);
    outsiderAgent = outsider;
    chatAgent = ann;
    normalAgent = nora;
    const widget = await createClient(db, { organizationId, name: 'Widget' });

    const second = await createOrganization(db, { name: 'Second' });
    const olga = await createAgent(db, {
      ...{ organizationId: second.id, email: 'olga@second.test' },
      ...{ name: 'Olga', role: 'owner' },
    });
    const secondWidget = await createClient(db, { organizationId: second.id, name: 'Widget' });

    const customerToken = (organization: string, clientId: string) =>
      requestCustomerToken(baseUrl, {
        grantType: 'cookie',
        clientId,
        organizationId: organization,
      });
    const chatCustomer = await customerToken(organizationId, widget.id);
    const otherCustomer = await customerToken(organizationId, widget.id);
    const foreignCustomer = await customerToken(second.id, secondWidget.id);
    chatCustomerCredentials = { bearer: chatCustomer.access_token };

    owner = {
      credentials: basic(ann),
      organizationId,
      context: { ownOrganizationId: organizationId, ownClientId: widget.id },
    };
    const configuration = createWebClient({
      baseUrl,
      api: 'configuration',
      credentials: owner.credentials,
    });
    const agentApi = createWebClient({ baseUrl, api: 'agent', credentials: owner.credentials });

    // The chat: Ann and the customer, in the Support group only.
    customerSocket = await RtmClient.connect({ baseUrl, api: 'customer', organizationId });
    await customerSocket.request('login', { token: `Bearer ${chatCustomer.access_token}` });
    const started = await agentApi.call('start_chat', {
      chat: {
        access: { group_ids: [support.id] },
        users: [{ id: chatCustomer.entity_id, type: 'customer' }],
        thread: { events: [{ type: 'message', text: 'Hello', visibility: 'all' }] },
      },
      continuous: true,
    });
    await configuration.call('create_tag', { name: 'vip', group_ids: [0] });
    const bot = await configuration.call('create_bot', { name: 'Bot', owner_client_id: widget.id });
    const template = await configuration.call('create_bot_template', {
      name: 'Template',
      owner_client_id: widget.id,
    });
    const webhook = await configuration.call('register_webhook', {
      action: 'incoming_chat',
      secret_key: 'secret',
      url: 'http://127.0.0.1:9/hook',
      owner_client_id: widget.id,
      type: 'license',
    });
    const rule = await configuration.call('add_auto_access', {
      access: { groups: [support.id] },
      conditions: { domain: { values: [{ value: 'first.test' }] } },
    });
    const welcome = await configuration.call('create_greeting', greeting);

    targets = {
      chatId: String(started.chat_id),
      threadId: String(started.thread_id),
      eventId: String((started.event_ids as string[])[0]),
      customerId: chatCustomer.entity_id,
      agentId: tom.agent.id,
      botId: String(bot.id),
      botTemplateId: String(template.id),
      webhookId: String(webhook.id),
      autoAccessId: String(rule.id),
      groupId: support.id,
      greetingId: Number(welcome.id),
      tag: 'vip',
      clientId: widget.id,
    };

    const agentCaller = (agent: CreatedAgent, org: string, clientId: string): Caller => ({
      credentials: basic(agent),
      organizationId: org,
      context: { ownOrganizationId: org, ownClientId: clientId },
    });
    const customerCaller = (
      token: { access_token: string },
      org: string,
      clientId: string,
    ): Caller => ({
      credentials: { bearer: token.access_token },
      organizationId: org,
      context: { ownOrganizationId: org, ownClientId: clientId },
    });
    bearer = async (holder: CreatedAgent, scopes: readonly string[]): Promise<Caller> => {
      const token = await issueAgentToken(db, {
        organizationId,
        agentId: holder.agent.id,
        scopes,
      });
      return { credentials: { bearer: token.accessToken }, organizationId, context: owner.context };
    };
    const foreignAgent = agentCaller(olga, second.id, secondWidget.id);
    callers = {
      otherOrganization: {
        agent: foreignAgent,
        configuration: foreignAgent,
        customer: customerCaller(foreignCustomer, second.id, secondWidget.id),
      },
      otherOrganizationInUrl: {
        customer: customerCaller(foreignCustomer, organizationId, secondWidget.id),
      },
      customerOutsideChat: { customer: customerCaller(otherCustomer, organizationId, widget.id) },
      agentOutsideGroups: { agent: agentCaller(outsider, organizationId, widget.id) },
      missingScope: {},
      roleBelow: { configuration: agentCaller(nora, organizationId, widget.id) },
      accessScopeOutsideGroups: {
        agent: await bearer(
          outsider,
          knownScopes.filter((scope) => !allChatsScopes.has(scope)),
        ),
      },
      allChatsReadOnly: {
        agent: await bearer(
          outsider,
          knownScopes.filter((scope) => scope !== 'chats--all:rw'),
        ),
      },
      normalAgentAllChats: { agent: await bearer(nils, knownScopes) },
    };
    botSecret = String(bot.secret);
    issueWithout = async (left) => {
      const key = [...left].sort().join(' ');
      const known =
        scopeTokens.get(key) ??
        (await bearer(
          ann,
          knownScopes.filter((scope) => !left.includes(scope)),
        ));
      scopeTokens.set(key, known);
      return known;
    };
  }, 180_000);

  afterAll(async () => {
    await customerSocket?.close().catch(() => undefined);
    await world?.stop();
  }, 60_000);

  it('has a row or a stated reason for every method of every API', () => {
    const rowKeys = new Set(matrix.map((row) => `${row.api} ${row.method}`));
    const missing: string[] = [];
    for (const [method, entry] of Object.entries(methodCatalog)) {
      for (const api of entry.apis) {
        const key = `${api} ${method}`;
        if (!rowKeys.has(key) && !notCovered[key]) missing.push(key);
        if (rowKeys.has(key) && notCovered[key]) missing.push(`${key} (both a row and a reason)`);
      }
    }
    expect(missing).toEqual([]);
    for (const row of matrix) expect(findMethod(row.api, row.method), row.method).toBeDefined();
  });

  async function callerFor(kind: CallerKind, row: MatrixRow): Promise<Caller> {
    if (kind === 'missingScope') {
      const granting = scopesGranting(row.api, row.method as never);
      expect(granting, `${row.method} needs a scope`).toBeDefined();
      return issueWithout(granting ?? []);
    }
    const caller = callers[kind][row.api];
    if (!caller) throw new Error(`no ${kind} caller for the ${row.api} API`);
    return caller;
  }

  const cells = matrix.flatMap((row) =>
    Object.entries(row.expected).map(([kind, expected]) => ({
      row,
      kind: kind as CallerKind,
      expected,
      name: `${row.api} ${row.method} × ${kind} → ${expected}`,
    })),
  );

  it('answers every cell as expected, the same for real and made-up ids', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    for (const { row, kind, expected, name } of cells) {
      const caller = await callerFor(kind, row);
      const fake = madeUp(targets);
      const answer = (ids: Targets) =>
        call(baseUrl, row.api, caller, row.method, row.payload(ids, caller.context));
      const real = await answer(targets);
      const invented = await answer(fake);
      const problem =
        judge(expected, real, invented, fake) ?? (await scopeSuffices(row, kind, fake));
      if (problem) failures.push(`${name}: ${problem}`);
    }
    expect(failures).toEqual([]);
    const failedReads = Object.entries(before).filter(([, answer]) => !('success' in answer));
    expect(failedReads).toEqual([]);
    expect(await snapshot()).toEqual(before);
  }, 600_000);

  /**
   * The other side of a `missingScope` cell: a token with only the scopes that grant the method
   * gets past the scope check (made-up ids, so nothing changes), or the cell would pass for a
   * method that refuses every token.
   */
  async function scopeSuffices(row: MatrixRow, kind: CallerKind, fake: Targets) {
    if (kind !== 'missingScope') return undefined;
    const granting = scopesGranting(row.api, row.method as never) ?? [];
    // On the Configuration API a normal agent: past the scope check its role stops any change,
    // where the owner would really create something (`create_*` name no id to make up).
    const limited = await bearer(row.api === 'configuration' ? normalAgent : chatAgent, granting);
    const answer = await call(
      baseUrl,
      row.api,
      limited,
      row.method,
      row.payload(fake, limited.context),
    );
    // Made-up ids may be refused for what they name (a client of no organization); not for scope.
    return 'error' in answer &&
      answer.error.type === 'authorization' &&
      /scope/.test(answer.error.message)
      ? `a token with ${granting.join(' or ')} is refused too: ${answer.error.message}`
      : undefined;
  }

  function judge(
    expected: string,
    real: Answer,
    invented: Answer,
    fake: Targets,
  ): string | undefined {
    const shown = (answer: Answer) => JSON.stringify(answer).slice(0, 300);
    if (expected === 'hides') {
      if (!('success' in real)) return `expected success, got ${shown(real)}`;
      const body = JSON.stringify(real.success);
      const named = Object.values(targets).filter(
        (value) => typeof value === 'string' && value.length > 8 && body.includes(value),
      );
      return named.length ? `answer names ${named.join(', ')}` : undefined;
    }
    if (!('error' in real)) return `expected ${expected}, got success ${shown(real)}`;
    if (real.error.type !== expected) return `expected ${expected}, got ${shown(real)}`;
    if (!('error' in invented)) return `made-up ids succeeded: ${shown(invented)}`;
    const a = { type: real.error.type, message: withoutIds(real.error.message, targets) };
    const b = { type: invented.error.type, message: withoutIds(invented.error.message, fake) };
    return JSON.stringify(a) === JSON.stringify(b)
      ? undefined
      : `real ids answer ${JSON.stringify(a)}, made-up ids ${JSON.stringify(b)}`;
  }

  it("never shows the chat's customer an event meant for agents, in answers or pushes", async () => {
    const agentApi = createWebClient({ baseUrl, api: 'agent', credentials: owner.credentials });
    const customer = callers.customerOutsideChat.customer!;
    const note = 'internal note for agents only';
    await agentApi.call('send_event', {
      chat_id: targets.chatId,
      event: { type: 'message', text: note, visibility: 'agents' },
    });
    // The agent reads the note back: it exists, so its absence below is the filter's doing.
    expect(JSON.stringify(await agentApi.call('get_chat', { chat_id: targets.chatId }))).toContain(
      note,
    );
    const marker = await agentApi.call('send_event', {
      chat_id: targets.chatId,
      event: { type: 'message', text: 'visible to all', visibility: 'all' },
    });
    await customerSocket.waitForPush(
      'incoming_event',
      (payload) => (payload.event as { id?: string }).id === marker.event_id,
    );
    const chatCustomer: Caller = { ...customer, credentials: chatCustomerCredentials };
    const reads = [
      await call(baseUrl, 'customer', chatCustomer, 'get_chat', { chat_id: targets.chatId }),
      await call(baseUrl, 'customer', chatCustomer, 'list_threads', { chat_id: targets.chatId }),
      await call(baseUrl, 'customer', chatCustomer, 'list_chats', {}),
      await customerSocket.request('get_chat', { chat_id: targets.chatId }),
    ];
    for (const read of reads) {
      expect(JSON.stringify(read)).toContain('visible to all');
      expect(JSON.stringify(read)).not.toContain(note);
    }
    expect(customerSocket.pushes.length).toBeGreaterThan(0);
    expect(JSON.stringify(customerSocket.pushes)).not.toContain(note);
  });

  it('lets an administrator reach chats outside its groups with chats--all, :ro reading only', async () => {
    const ids = (answer: Answer) => JSON.stringify('success' in answer ? answer.success : answer);
    const readOnly = await bearer(
      outsiderAgent,
      knownScopes.filter((scope) => scope !== 'chats--all:rw'),
    );
    const read = (method: string, payload: unknown) =>
      call(baseUrl, 'agent', readOnly, method, payload);
    const chat = await read('get_chat', { chat_id: targets.chatId });
    expect(chat).toMatchObject({ success: { id: targets.chatId } });
    expect(ids(chat)).toContain('Hello');
    expect(ids(await read('list_chats', {}))).toContain(targets.chatId);
    expect(ids(await read('list_archives', {}))).toContain(targets.chatId);
    expect(await read('list_threads', { chat_id: targets.chatId })).toHaveProperty('success');

    const readWrite = await bearer(outsiderAgent, ['chats--all:rw']);
    const properties = { test: { string_property: 'set with chats--all:rw' } };
    expect(
      await call(baseUrl, 'agent', readWrite, 'update_chat_properties', {
        id: targets.chatId,
        properties,
      }),
    ).toEqual({ success: {} });
    expect(
      ids(await call(baseUrl, 'agent', readWrite, 'get_chat', { chat_id: targets.chatId })),
    ).toContain('set with chats--all:rw');
  });

  it("gives a bot token from issue_bot_token LiveChat's three bot scopes and no more", async () => {
    const configuration = createWebClient({
      baseUrl,
      api: 'configuration',
      credentials: owner.credentials,
    });
    const issued = await configuration.call('issue_bot_token', {
      bot_id: targets.botId,
      bot_secret: botSecret,
      client_id: targets.clientId,
      organization_id: organizationId,
    });
    const bot: Caller = { ...owner, credentials: { bearer: String(issued.token) } };
    const refusal = { error: { type: 'authorization' } };
    expect(await call(baseUrl, 'configuration', bot, 'list_agents', {})).toMatchObject(refusal);
    expect(await call(baseUrl, 'agent', bot, 'list_routing_statuses', {})).toMatchObject(refusal);
    expect(
      await call(baseUrl, 'agent', bot, 'multicast', {
        recipients: { agents: { all: true } },
        content: { from: 'bot' },
      }),
    ).toMatchObject(refusal);
    // What it may do: chat (chats--access:rw) and set its own routing status (agents-bot--my:rw).
    expect(await call(baseUrl, 'agent', bot, 'list_chats', {})).toHaveProperty('success');
    expect(
      await call(baseUrl, 'agent', bot, 'set_routing_status', {
        status: 'not_accepting_chats',
        agent_id: targets.botId,
      }),
    ).toEqual({ success: {} });
  });

  /** The first organization's data as its owner reads it. */
  async function snapshot(): Promise<Record<string, Answer>> {
    const read = (api: WebApi, method: string, payload: unknown) =>
      call(baseUrl, api, owner, method, payload);
    return {
      chat: await read('agent', 'get_chat', { chat_id: targets.chatId }),
      threads: await read('agent', 'list_threads', { chat_id: targets.chatId }),
      customer: await read('agent', 'get_customer', { id: targets.customerId }),
      agent: await read('configuration', 'get_agent', { id: targets.agentId }),
      agents: await read('configuration', 'list_agents', {}),
      bot: await read('configuration', 'get_bot', { id: targets.botId }),
      templates: await read('configuration', 'list_bot_templates', {
        owner_client_id: targets.clientId,
      }),
      groups: await read('configuration', 'list_groups', {}),
      tags: await read('configuration', 'list_tags', {}),
      webhooks: await read('configuration', 'list_webhooks', { owner_client_id: targets.clientId }),
      webhooksState: await read('configuration', 'get_license_webhooks_state', {
        owner_client_id: targets.clientId,
      }),
      autoAccesses: await read('configuration', 'list_auto_accesses', {}),
      greeting: await read('configuration', 'get_greeting', { id: targets.greetingId }),
      licenseProperties: await read('configuration', 'list_license_properties', {}),
      properties: await read('configuration', 'list_properties', {
        owner_client_id: targets.clientId,
      }),
    };
  }
});
