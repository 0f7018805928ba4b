import { describe, expect, it } from 'vitest';
import { sessionEndReason } from './session-ends.ts';

describe('sessionEndReason', () => {
  it('ends every session of the user when no token is named', () => {
    expect(sessionEndReason({ reason: 'customer_banned' }, 'token-a')).toBe('customer_banned');
    expect(sessionEndReason({ reason: 'agent_disconnected_by_server' }, undefined)).toBe(
      'agent_disconnected_by_server',
    );
    expect(sessionEndReason({}, 'token-a')).toBe('internal_error');
    expect(sessionEndReason(undefined, 'token-a')).toBe('internal_error');
  });

  it('ends only the sessions opened with a revoked token', () => {
    const revoked = { reason: 'access_token_revoked', credential_id: 'token-a' };
    expect(sessionEndReason(revoked, 'token-a')).toBe('access_token_revoked');
    expect(sessionEndReason(revoked, 'token-b')).toBeUndefined();
    expect(sessionEndReason(revoked, undefined)).toBeUndefined();
  });
});
