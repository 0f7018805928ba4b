import { describe, expect, it } from 'vitest';
import { pushCarriesRequestId } from './push-request-ids.ts';

describe('pushCarriesRequestId', () => {
  it('gives incoming_chat and incoming_event the request_id only of the request they answer', () => {
    expect(pushCarriesRequestId('incoming_chat', 'start_chat')).toBe(true);
    expect(pushCarriesRequestId('incoming_chat', 'resume_chat')).toBe(true);
    expect(pushCarriesRequestId('incoming_event', 'send_event')).toBe(true);
    expect(pushCarriesRequestId('incoming_event', 'deactivate_chat')).toBe(false);
    expect(pushCarriesRequestId('incoming_chat', 'follow_chat')).toBe(false);
    expect(pushCarriesRequestId('incoming_event', undefined)).toBe(false);
  });

  it('leaves every other push its request_id', () => {
    expect(pushCarriesRequestId('chat_deactivated', 'deactivate_chat')).toBe(true);
    expect(pushCarriesRequestId('routing_status_set', undefined)).toBe(true);
  });
});
