import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.ts';

const request = (headers: IncomingMessage['headers']) =>
  ({ headers, socket: { remoteAddress: '10.0.0.1' } }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  it('is the peer without a configured header', () => {
    expect(clientAddress(request({ 'x-forwarded-for': '1.2.3.4' }), undefined)).toBe('10.0.0.1');
  });

  it("is the header's last entry, the one the balancer appended", () => {
    const forwarded = request({ 'x-forwarded-for': 'forged, 203.0.113.9 ' });
    expect(clientAddress(forwarded, 'x-forwarded-for')).toBe('203.0.113.9');
  });

  it('falls back to the peer when the header is missing or empty', () => {
    expect(clientAddress(request({}), 'x-forwarded-for')).toBe('10.0.0.1');
    expect(clientAddress(request({ 'x-forwarded-for': ' ' }), 'x-forwarded-for')).toBe('10.0.0.1');
  });
});
