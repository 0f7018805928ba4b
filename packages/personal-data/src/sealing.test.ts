import { describe, expect, it } from 'vitest';
import { newDataKey } from './envelope.ts';
import {
  customersIn,
  erasedText,
  isSealed,
  openValue,
  sealedOwnersIn,
  sealValue,
} from './sealing.ts';

const organizationId = 'org-1';
const carol = 'c0ffee00-0000-4000-8000-000000000001';
const agent = 'adam@agents.example.com';

const batch = {
  requester: { userId: carol, userType: 'customer', name: 'Carol', email: 'carol@example.com' },
  payload: {
    chat: {
      users: [
        { id: carol, type: 'customer', name: 'Carol', email: 'carol@example.com', present: true },
        { id: agent, type: 'agent', name: 'Adam', email: agent, present: true },
      ],
      thread: {
        events: [
          {
            id: 'e1',
            type: 'message',
            author_id: carol,
            text: 'my card is 4242',
            visibility: 'all',
          },
          {
            id: 'e2',
            type: 'file',
            author_id: carol,
            name: 'passport.png',
            url: 'https://f/p.png',
          },
          { id: 'e3', type: 'filled_form', author_id: carol, fields: [{ answer: 'Carol' }] },
          { id: 'e4', type: 'message', author_id: agent, text: 'How can I help?' },
        ],
      },
    },
  },
};

describe('sealing personal data', () => {
  const keys = new Map([[carol, newDataKey()]]);
  const sealed = sealValue(batch, organizationId, keys);

  it('finds the customers a value carries, and the owners of its sealed strings', () => {
    expect([...customersIn(batch)]).toEqual([carol]);
    expect([...sealedOwnersIn(sealed)]).toEqual([carol]);
  });

  it("seals the customer's identity and content, not ids, types or agents' messages", () => {
    const text = JSON.stringify(sealed);
    for (const secret of ['Carol', 'carol@example.com', '4242', 'passport', 'https://f/p.png'])
      expect(text).not.toContain(secret);
    const [customer, agentUser] = sealed.payload.chat.users;
    expect(customer).toMatchObject({ id: carol, type: 'customer', present: true });
    expect(isSealed(customer?.name)).toBe(true);
    expect(agentUser?.name).toBe('Adam');
    const [message, , , reply] = sealed.payload.chat.thread.events;
    expect(message).toMatchObject({ id: 'e1', type: 'message', author_id: carol });
    expect(reply?.text).toBe('How can I help?');
    expect(sealed.requester.userId).toBe(carol);
  });

  it('opens to the original with the key', () => {
    expect(openValue(sealed, organizationId, keys)).toEqual(batch);
  });

  it('opens to placeholders once the key is gone, keeping each field its shape', () => {
    const opened = openValue(sealed, organizationId, new Map());
    const [message, file, form, reply] = opened.payload.chat.thread.events;
    expect(message?.text).toBe(erasedText);
    expect(file).toMatchObject({ name: erasedText, url: erasedText });
    expect(form?.fields).toEqual([]);
    expect(reply?.text).toBe('How can I help?');
    expect(opened.requester).toMatchObject({ name: erasedText, email: erasedText });
  });

  it('round-trips a customer id with colons', () => {
    const odd = 'imported:customer:7';
    const value = { requester: { userId: odd, userType: 'customer', name: 'Odd' } };
    const oddKeys = new Map([[odd, newDataKey()]]);
    const sealed = sealValue(value, organizationId, oddKeys);
    expect([...sealedOwnersIn(sealed)]).toEqual([odd]);
    expect(openValue(sealed, organizationId, oddKeys)).toEqual(value);
  });

  it('does not open in another organization, nor with another key', () => {
    const elsewhere = openValue(sealed, 'org-2', keys);
    expect(elsewhere.payload.chat.users[0]?.name).toBe(erasedText);
    const wrong = openValue(sealed, organizationId, new Map([[carol, newDataKey()]]));
    expect(wrong.requester.email).toBe(erasedText);
  });

  it("seals thread summaries with the chat's customer's key, when told who that is", () => {
    const summaries = {
      thread: {
        id: 't',
        summary: { status: 'ok', text: '• Customer: my card is 4242', updated_at: 'x' },
      },
      event: { id: 'e', type: 'system', source: 'messaging', subtype: 'summary', details: '4242' },
    };
    expect(sealValue(summaries, organizationId, keys)).toEqual(summaries);
    const sealed = sealValue(summaries, organizationId, keys, carol);
    expect(JSON.stringify(sealed)).not.toContain('4242');
    expect(sealed.thread.summary.status).toBe('ok');
    expect(openValue(sealed, organizationId, keys)).toEqual(summaries);
    expect(openValue(sealed, organizationId, new Map()).thread.summary.text).toBe(erasedText);
  });

  it('writes placeholders at once for a customer already erased (key null)', () => {
    const direct = sealValue(batch, organizationId, new Map([[carol, null]]));
    expect(direct.payload.chat.users[0]?.name).toBe(erasedText);
    expect(direct.payload.chat.thread.events[0]?.text).toBe(erasedText);
  });
});

// Found by the hostile-input fuzz test (services run with --disable-proto=throw): a rich message's
// element with a `__proto__` key became the copy's prototype instead of a field of it.
describe('sealing a field named __proto__', () => {
  it('keeps it an own field of the copy, sealed or not, and gives the copy no prototype', () => {
    const keys = new Map([[carol, newDataKey()]]);
    const event = JSON.parse(
      `{"author_id":"${agent}","elements":[{"__proto__":{"injected":1},"title":"Hi"}]}`,
    ) as Record<string, unknown>;
    const sealed = sealValue({ event }, organizationId, keys);
    const element = (sealed.event.elements as Record<string, unknown>[])[0]!;
    expect(Object.getPrototypeOf(element)).toBe(Object.prototype);
    expect(Object.hasOwn(element, '__proto__')).toBe(true);
    expect((element as { injected?: unknown }).injected).toBeUndefined();
    expect(openValue(sealed, organizationId, keys)).toEqual({ event });
    const customer = JSON.parse(
      `{"user":{"id":"${carol}","type":"customer","__proto__":{"name":"x"}}}`,
    ) as Record<string, unknown>;
    const sealedCustomer = sealValue(customer, organizationId, keys).user as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(sealedCustomer)).toBe(Object.prototype);
    // A customer's unknown field is personal: sealed, as an own field.
    expect(isSealed(Object.getOwnPropertyDescriptor(sealedCustomer, '__proto__')?.value)).toBe(
      true,
    );
  });
});
