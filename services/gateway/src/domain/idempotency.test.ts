import { describe, expect, it } from 'vitest';
import {
  decideRepeat,
  fingerprintOf,
  isKept,
  isRecorded,
  isValidKey,
  requestKeyOf,
} from './idempotency.ts';

const scope = {
  transport: 'web' as const,
  api: 'agent' as const,
  organizationId: 'org-1',
  userId: 'agent@example.com',
  key: 'k-1',
};

describe('request keys', () => {
  it('derive one UUID-shaped command id per caller and key', () => {
    const key = requestKeyOf(scope);
    expect(requestKeyOf(scope)).toEqual(key);
    expect(key.commandId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    for (const other of [
      { ...scope, userId: 'other@example.com' },
      { ...scope, organizationId: 'org-2' },
      { ...scope, api: 'customer' as const },
      { ...scope, transport: 'rtm' as const },
      { ...scope, key: 'k-2' },
    ]) {
      expect(requestKeyOf(other).id).not.toBe(key.id);
      expect(requestKeyOf(other).commandId).not.toBe(key.commandId);
    }
  });

  it('take visible ASCII up to 255 characters', () => {
    expect(isValidKey('a'.repeat(255))).toBe(true);
    expect(isValidKey('a'.repeat(256))).toBe(false);
    expect(isValidKey('')).toBe(false);
    expect(isValidKey('with space')).toBe(false);
    expect(isValidKey('zażółć')).toBe(false);
  });
});

describe('fingerprints', () => {
  it('ignore key order but not values, methods or versions', () => {
    const payload = { chat_id: 'C', event: { type: 'message', text: 'Hi' } };
    const same = { event: { text: 'Hi', type: 'message' }, chat_id: 'C' };
    expect(fingerprintOf('3.6', 'send_event', same)).toBe(
      fingerprintOf('3.6', 'send_event', payload),
    );
    expect(fingerprintOf('3.6', 'send_event', { ...payload, chat_id: 'D' })).not.toBe(
      fingerprintOf('3.6', 'send_event', payload),
    );
    expect(fingerprintOf('3.5', 'send_event', payload)).not.toBe(
      fingerprintOf('3.6', 'send_event', payload),
    );
    expect(fingerprintOf('3.6', 'delete_event', payload)).not.toBe(
      fingerprintOf('3.6', 'send_event', payload),
    );
  });
});

describe('a repeated request', () => {
  const now = new Date('2026-12-06T10:00:00Z');
  const stored = {
    fingerprint: 'f',
    outcome: undefined,
    claimedAt: new Date(now.getTime() - 1000),
  };
  const request = { fingerprint: 'f', now, leaseMs: 20_000 };

  it('is answered with a finished outcome', () => {
    const outcome = { type: 'result' as const, result: { event_id: 'E' } };
    expect(decideRepeat({ ...stored, outcome }, request)).toEqual({ type: 'answer', outcome });
  });

  it('waits for a running first request, and takes over once its lease ended', () => {
    expect(decideRepeat(stored, request)).toEqual({ type: 'wait' });
    expect(decideRepeat(stored, { ...request, leaseMs: 500 })).toEqual({ type: 'take_over' });
  });

  it('is a mismatch when it asks something else', () => {
    expect(decideRepeat(stored, { ...request, fingerprint: 'g' })).toEqual({ type: 'mismatch' });
  });
});

describe('what is recorded and kept', () => {
  it('records changes, not reads or indicators', () => {
    expect(isRecorded('send_event')).toBe(true);
    expect(isRecorded('start_chat')).toBe(true);
    expect(isRecorded('register_webhook')).toBe(true);
    expect(isRecorded('get_chat')).toBe(false);
    expect(isRecorded('list_chats')).toBe(false);
    expect(isRecorded('check_product_limits_for_plan')).toBe(false);
    expect(isRecorded('send_typing_indicator')).toBe(false);
  });

  it('keeps answers and refusals, not transient failures', () => {
    expect(isKept({ type: 'result', result: {} })).toBe(true);
    expect(isKept({ type: 'error', error: { type: 'not_found', message: 'x' } })).toBe(true);
    for (const type of [
      'internal',
      'service_unavailable',
      'request_timeout',
      'too_many_requests',
    ]) {
      expect(isKept({ type: 'error', error: { type, message: 'x' } })).toBe(false);
    }
  });
});
