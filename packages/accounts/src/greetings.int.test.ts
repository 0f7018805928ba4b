import { describe, expect, it } from 'vitest';
import { createCustomer } from './customers.ts';
import {
  countGreetingDisplays,
  listGreetingDisplays,
  recordGreetingDisplay,
  setGreetingDisplayState,
  touchVisit,
} from './greeting-displays.ts';
import { createGreeting, updateGreeting } from './greetings.ts';
import { createOrganization } from './organizations.ts';
import { useAccountsDatabase } from './test-database.ts';

const accounts = useAccountsDatabase();
const minutes = (count: number, from = new Date('2026-11-25T10:00:00Z')) =>
  new Date(from.getTime() + count * 60_000);

async function aCustomer() {
  const organization = await createOrganization(accounts.db, { name: `Visits ${Math.random()}` });
  const customer = await createCustomer(accounts.db, { organizationId: organization.id });
  return { organizationId: organization.id, customerId: customer.id };
}

describe('customer visits', () => {
  it('continue while the customer comes back within 30 minutes, and start anew after', async () => {
    const who = await aCustomer();
    const first = await touchVisit(accounts.db, { ...who, now: minutes(0) });
    expect(first).toEqual({ number: 1, startedAt: minutes(0) });
    expect(await touchVisit(accounts.db, { ...who, now: minutes(20) })).toEqual(first);
    expect(await touchVisit(accounts.db, { ...who, now: minutes(45) })).toEqual(first);
    expect(await touchVisit(accounts.db, { ...who, now: minutes(80) })).toEqual({
      number: 2,
      startedAt: minutes(80),
    });
  });
});

describe('greeting displays', () => {
  it('show a greeting once per visit and count what was shown and accepted', async () => {
    const who = await aCustomer();
    const display = (uniqueId: string, visit: number) =>
      recordGreetingDisplay(accounts.db, {
        ...who,
        greetingId: 7,
        visit,
        uniqueId,
        payload: { id: 7, unique_id: uniqueId },
        now: minutes(visit),
      });
    expect(await display('u1', 1)).toBe(true);
    expect(await display('u2', 1)).toBe(false);
    expect(await display('u3', 2)).toBe(true);
    const history = await listGreetingDisplays(accounts.db, { ...who, visit: 2 });
    expect([...history.shownGreetingIds]).toEqual([7]);
    expect(history.thisVisit.map((shown) => shown.uniqueId)).toEqual(['u3']);

    const accept = () =>
      setGreetingDisplayState(accounts.db, { ...who, uniqueId: 'u3', state: 'accepted' });
    expect(await accept()).toMatchObject({ state: 'accepted', accepted: true });
    expect(await accept()).toMatchObject({ state: 'accepted' });
    await setGreetingDisplayState(accounts.db, { ...who, uniqueId: 'u3', state: 'canceled' });
    expect(await accept()).toBeUndefined();
    expect(await countGreetingDisplays(accounts.db, who.organizationId, who.customerId)).toEqual({
      shown: 2,
      accepted: 1,
    });

    const stranger = await aCustomer();
    expect(
      await setGreetingDisplayState(accounts.db, {
        ...stranger,
        uniqueId: 'u1',
        state: 'canceled',
      }),
    ).toBeUndefined();
  });
});

describe('greetings', () => {
  it('keep the stored definition where an update names no field, and clear the agent with null', async () => {
    const { organizationId } = await aCustomer();
    const greeting = await createGreeting(accounts.db, {
      organizationId,
      authorId: 'owner@x.test',
      definition: { name: 'Hello', event: { type: 'message', text: 'Hi' } },
    });
    expect(greeting).toMatchObject({
      groupId: 0,
      active: true,
      subtype: 'greeting',
      rules: { match: 'all', conditions: [] },
    });
    const updated = await updateGreeting(accounts.db, organizationId, greeting.id, {
      rules: { match: 'any', conditions: [{ type: 'visits_count', min: 2 }] },
    });
    expect(updated).toMatchObject({
      name: 'Hello',
      event: { type: 'message', text: 'Hi' },
      rules: { match: 'any', conditions: [{ type: 'visits_count', min: 2 }] },
    });
    await expect(
      updateGreeting(accounts.db, organizationId, greeting.id, { agent_id: 'nobody@x.test' }),
    ).rejects.toMatchObject({ type: 'not_found' });
    const other = await aCustomer();
    await expect(
      updateGreeting(accounts.db, other.organizationId, greeting.id, { name: 'Mine' }),
    ).rejects.toMatchObject({ type: 'not_found' });
  });

  it('keep an active window whose ends two updates set in order, and clear an end with null', async () => {
    const { organizationId } = await aCustomer();
    const { id } = await createGreeting(accounts.db, {
      organizationId,
      authorId: 'owner@x.test',
      definition: {
        name: 'Sale',
        event: { type: 'message', text: 'Sale!' },
        active_from: '2026-12-01T00:00:00Z',
      },
    });
    const update = (changes: object) => updateGreeting(accounts.db, organizationId, id, changes);
    expect(await update({ active_until: '2026-12-24T00:00:00Z' })).toMatchObject({
      activeFrom: new Date('2026-12-01T00:00:00Z'),
      activeUntil: new Date('2026-12-24T00:00:00Z'),
    });
    // Each request is well formed; together the window would end before it begins.
    await expect(update({ active_from: '2026-12-25T00:00:00Z' })).rejects.toMatchObject({
      type: 'validation',
    });
    expect(await update({ active_from: null })).toMatchObject({
      activeFrom: undefined,
      activeUntil: new Date('2026-12-24T00:00:00Z'),
    });
  });
});
