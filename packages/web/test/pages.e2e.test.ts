import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createGroup, createTag } from '@threadline/accounts';
import { RtmClient } from '@threadline/sdk';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { accessibilityViolations } from './accessibility.ts';
import { artifactsDir, type PagesWorld, startPagesWorld, type Team } from './pages-world.ts';

/**
 * The widget and the console in a real browser against the whole platform: what a customer and
 * an agent see and do, read off the pages the way a person would (labels, roles, text).
 */
const uiTimeoutMs = 20_000;

let world: PagesWorld;

beforeAll(async () => {
  mkdirSync(artifactsDir, { recursive: true });
  world = await startPagesWorld();
});

afterAll(async () => {
  await world?.stop();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: false });

/** Every page a test opened, photographed when it fails: what the user would have seen. */
function watch(page: Page, name: string): Page {
  onTestFailed(async () => {
    if (!page.isClosed()) await shot(page, `failed-${name}`);
  });
  return page;
}

type Event = { text?: string };

const messages = (page: Page) => page.getByRole('log', { name: 'Messages' });

async function openConsole(authorization: string): Promise<Page> {
  const context = await world.browser.newContext({ viewport: { width: 1100, height: 720 } });
  const page = await context.newPage();
  page.setDefaultTimeout(uiTimeoutMs);
  watch(page, 'console');
  await page.goto(
    `${world.gatewayUrl}/console/#authorization=${encodeURIComponent(authorization)}`,
  );
  return page;
}

async function openWidget(team: Team, viewport = { width: 420, height: 720 }): Promise<Page> {
  const context = await world.browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(uiTimeoutMs);
  watch(page, 'widget');
  await page.goto(
    `${world.gatewayUrl}/widget/?organization_id=${team.organizationId}&client_id=${team.clientId}`,
  );
  return page;
}

describe('the widget and the console, in Chromium', () => {
  it('a customer and an agent chat both ways; a second chat is counted, announced, keeps its draft; the agent transfers; a reload brings the history back', async () => {
    const team = await world.createTeam('Both-ways');
    for (const [name, members] of [
      ['Returns', {}],
      ['Billing', { [team.bob.id]: 'normal' }],
    ] as const) {
      await createGroup(world.accounts, {
        organizationId: team.organizationId,
        name,
        agentPriorities: members,
      });
    }
    const agent = await openConsole(team.ann.authorization);
    await agent.getByLabel('Routing status').selectOption('accepting_chats');
    await agent.getByText('You accept chats').waitFor();

    const customer = await openWidget(team);
    await customer.getByLabel('Your name').fill('Carla');
    await customer.getByLabel('How can we help?').fill('My parcel has not arrived');
    await customer.getByRole('button', { name: 'Start the chat' }).click();
    await messages(customer).getByText('My parcel has not arrived').waitFor();

    // The router gives the chat to Ann, the only agent accepting chats; then Bob comes online.
    await agent.getByRole('button', { name: /Carla/ }).click();
    await messages(agent).getByText('My parcel has not arrived').waitFor();

    // A second customer while Ann has Carla open: the list counts Eve's news and announces it;
    // each chat keeps its draft.
    const reply = agent.getByLabel('Reply to the customer');
    await reply.fill('Your parcel');
    const eve = await openWidget(team);
    await eve.getByLabel('Your name').fill('Eve');
    await eve.getByLabel('How can we help?').fill('Can I change my address?');
    await eve.getByRole('button', { name: 'Start the chat' }).click();
    const news = agent.getByRole('status', { name: 'News from other chats' });
    await news.getByText('New chat from Eve').waitFor();
    await eve.getByLabel('Write a message').fill('It is for order 77');
    await eve.getByLabel('Write a message').press('Enter');
    await news.getByText('Eve wrote: It is for order 77').waitFor();
    await agent.getByRole('button', { name: /Eve.*2 new/ }).click();
    await messages(agent).getByText('It is for order 77').waitFor();
    expect(await reply.inputValue()).toBe('');
    await agent.getByRole('button', { name: /Carla/ }).click();
    expect(await reply.inputValue()).toBe('Your parcel');
    await eve.context().close();

    const bob = await RtmClient.connect({ baseUrl: world.gatewayUrl, api: 'agent' });
    await bob.request('login', { token: team.bob.authorization });
    await bob.request('set_routing_status', { status: 'accepting_chats' });

    // Both ways, with what each side sees of the other before a message arrives.
    await customer.getByLabel('Write a message').fill('It was due on Monday');
    await agent.getByText('Customer is typing: It was due on Monday').waitFor();
    await shot(agent, 'console-sneak-peek');
    await customer.getByLabel('Write a message').press('Enter');
    await messages(agent).getByText('It was due on Monday').waitFor();
    await agent.getByLabel('Reply to the customer').fill('Let me check');
    await customer.getByText('Agent is typing…').waitFor();
    await agent.getByRole('button', { name: 'Send' }).click();
    await messages(customer).getByText('Let me check').waitFor();
    await agent.getByText('Seen', { exact: true }).waitFor();
    await shot(customer, 'widget-chat');
    await shot(agent, 'console-chat');
    expect(await accessibilityViolations(customer)).toEqual([]);
    expect(await accessibilityViolations(agent)).toEqual([]);

    // Ann hands the chat on: a group nobody staffs refuses, in words; Bob's group takes it. It
    // leaves her list, Bob gets it with its history.
    const transferTo = agent.getByLabel('Transfer to');
    await transferTo.focus();
    await transferTo.getByRole('option', { name: 'Bob (0 chats)' }).waitFor({ state: 'attached' });
    await transferTo.selectOption({ label: 'Returns (offline)' });
    await agent.getByRole('button', { name: 'Transfer' }).click();
    await agent
      .getByRole('alert')
      .getByText(/Nobody in that group is accepting chats/)
      .waitFor();
    await transferTo.selectOption({ label: 'Billing (accepting chats)' });
    await agent.getByRole('button', { name: 'Transfer' }).click();
    await agent.getByRole('heading', { name: 'Chats (1)' }).waitFor();
    await agent.getByRole('alert').waitFor({ state: 'detached' });
    const transferred = await bob.waitForPush('incoming_chat', () => true, uiTimeoutMs);
    const chat = (transferred.payload as { chat: { id: string; thread: { events: Event[] } } })
      .chat;
    expect(chat.thread.events.map((event) => event.text)).toEqual(
      expect.arrayContaining(['My parcel has not arrived', 'It was due on Monday', 'Let me check']),
    );
    await bob.request('send_event', {
      chat_id: chat.id,
      event: { type: 'message', text: 'Bob here, I have your order open' },
    });
    await messages(customer).getByText('Bob here, I have your order open').waitFor();

    await customer.reload();
    for (const text of [
      'My parcel has not arrived',
      'It was due on Monday',
      'Let me check',
      'Bob here, I have your order open',
    ]) {
      await messages(customer).getByText(text).waitFor();
    }
    expect(await messages(customer).getByRole('listitem').count()).toBeGreaterThanOrEqual(4);
    await bob.close();
    await customer.context().close();
    await agent.context().close();
  });

  it('a queued customer on a phone learns their place; the chat leaves the queue in every console when an agent takes it; the customer sends a file; both pages reconnect after a gateway restart; the agent tags, closes, finds it in the archives', async () => {
    const team = await world.createTeam('Queue');
    await createTag(world.accounts, {
      organizationId: team.organizationId,
      name: 'delivery',
      authorId: team.ann.id,
    });
    const agent = await openConsole(team.ann.authorization);
    await agent.getByLabel('Routing status').selectOption('not_accepting_chats');
    await agent.getByText('You do not accept chats').waitFor();
    const customer = await openWidget(team, { width: 390, height: 760 });
    await customer.getByLabel('Your name').fill('Dan');
    await customer.getByLabel('How can we help?').fill('Wrong size delivered');
    await customer.getByRole('button', { name: 'Start the chat' }).click();
    await customer.getByText('You are number 1 in the queue').waitFor();
    await agent.getByRole('button', { name: /Dan.*Queued, position 1/ }).waitFor();
    await shot(customer, 'widget-phone-queue');
    expect(await accessibilityViolations(customer)).toEqual([]);

    // Bob takes the chat from the queue: it leaves Ann's list; then he hands it to her.
    const bob = await RtmClient.connect({ baseUrl: world.gatewayUrl, api: 'agent' });
    await bob.request('login', { token: team.bob.authorization });
    await bob.request('set_routing_status', { status: 'accepting_chats' });
    const taken = await bob.waitForPush('incoming_chat', () => true, uiTimeoutMs);
    await customer.getByText(/in the queue/).waitFor({ state: 'detached' });
    await agent.getByRole('heading', { name: 'Chats (0)' }).waitFor();
    await bob.request('transfer_chat', {
      id: (taken.payload as { chat: { id: string } }).chat.id,
      target: { type: 'agent', ids: [team.ann.id] },
      ignore_agents_availability: true,
    });
    await bob.close();
    await agent.getByRole('button', { name: /Dan/ }).click();

    await customer.getByLabel('Attach a file').setInputFiles({
      name: 'receipt.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('order 1234'),
    });
    const link = messages(agent).getByRole('link', { name: 'File: receipt.txt' });
    await link.waitFor();
    const file = await fetch(new URL((await link.getAttribute('href'))!, world.gatewayUrl));
    expect(await file.text()).toBe('order 1234');

    // The gateway restarts (a deploy): both pages reconnect by themselves and go on.
    await world.platform.shutDown('gateway', 0);
    await customer.getByText('Reconnecting…').waitFor();
    await world.platform.restart('gateway', 0);
    await customer.getByLabel('Write a message').fill('Are you still there?');
    await customer.getByLabel('Write a message').press('Enter');
    await agent.getByRole('button', { name: /Dan/ }).click();
    await messages(agent).getByText('Are you still there?').waitFor();

    await agent.getByLabel('Tag', { exact: true }).fill('delivery');
    await agent.getByRole('button', { name: 'Add tag' }).click();
    await agent.getByRole('list', { name: 'Tags of this thread' }).getByText('delivery').waitFor();
    await agent.getByRole('button', { name: 'Close chat' }).click();
    await customer.getByText('This chat has ended').waitFor();

    await agent.getByText('Archives').click();
    await agent.getByLabel('Search past chats').fill('Wrong size');
    await agent.getByRole('button', { name: 'Search' }).click();
    const results = agent.getByRole('list', { name: 'Search results' });
    await results.getByText('Wrong size delivered').waitFor();
    await shot(agent, 'console-archives');
    await customer.context().close();
    await agent.context().close();
  });

  it('sends an agent whose token is refused back to the login form, saying why', async () => {
    const agent = await openConsole('Bearer not-a-token');
    await agent
      .getByRole('alert')
      .getByText(/Login failed/)
      .waitFor();
    await agent.getByLabel('Access token').waitFor();
    await agent.context().close();
  });

  it('serves the pages with their types and caching, and nothing outside their folder', async () => {
    const get = (path: string) => fetch(`${world.gatewayUrl}${path}`, { redirect: 'manual' });
    const page = await get('/widget/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    const asset = await get(script!);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const folder = await get('/console?x=1');
    expect([folder.status, folder.headers.get('location')]).toEqual([301, '/console/?x=1']);
    for (const path of ['/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/index.html']) {
      expect((await get(path)).status).toBe(404);
    }
  });
});
