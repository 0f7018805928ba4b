import { Metadata, status } from '@grpc/grpc-js';
import { errorTypes, ProtocolError } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import {
  errorTypeForStatus,
  errorTypeMetadataKey,
  grpcStatusFor,
  protocolErrorFromStatus,
  statusForError,
} from './status.ts';

describe('gRPC status of a protocol error', () => {
  it.each([
    ['validation', status.INVALID_ARGUMENT],
    ['not_found', status.NOT_FOUND],
    ['group_not_found', status.NOT_FOUND],
    ['authentication', status.UNAUTHENTICATED],
    ['authorization', status.PERMISSION_DENIED],
    ['missing_access', status.PERMISSION_DENIED],
    ['too_many_requests', status.RESOURCE_EXHAUSTED],
    ['pending_requests_limit_reached', status.RESOURCE_EXHAUSTED],
    ['chat_inactive', status.FAILED_PRECONDITION],
    ['agent_offline', status.FAILED_PRECONDITION],
    ['service_unavailable', status.UNAVAILABLE],
    ['internal', status.INTERNAL],
    ['request_timeout', status.DEADLINE_EXCEEDED],
    ['already_exists', status.ALREADY_EXISTS],
  ] as const)('%s is %s', (type, code) => {
    expect(grpcStatusFor(type)).toBe(code);
  });

  it('keeps UNAVAILABLE for service_unavailable alone, since clients retry it', () => {
    expect(errorTypes.filter((type) => grpcStatusFor(type) === status.UNAVAILABLE)).toEqual([
      'service_unavailable',
    ]);
  });

  it('round-trips every error type, message and data through status and metadata', () => {
    for (const type of errorTypes) {
      const sent = statusForError(new ProtocolError(type, `${type} happened ✓`, { n: 'é' }));
      const received = protocolErrorFromStatus(sent);
      expect(received).toBeInstanceOf(ProtocolError);
      expect({ type: received.type, message: received.message, data: received.data }).toEqual({
        type,
        message: `${type} happened ✓`,
        data: { n: 'é' },
      });
    }
  });

  it('sends anything but a ProtocolError as internal without its text', () => {
    const sent = statusForError(new Error('password=hunter2'));
    expect(sent.code).toBe(status.INTERNAL);
    expect(sent.details).not.toContain('hunter2');
    expect(sent.metadata.get(errorTypeMetadataKey)).toEqual(['internal']);
  });

  it('reads a status without an error type (a transport failure) by its code', () => {
    expect(errorTypeForStatus(status.UNAVAILABLE)).toBe('service_unavailable');
    expect(errorTypeForStatus(status.DEADLINE_EXCEEDED)).toBe('request_timeout');
    expect(errorTypeForStatus(status.INVALID_ARGUMENT)).toBe('validation');
    expect(errorTypeForStatus(status.CANCELLED)).toBe('internal');
    const metadata = new Metadata();
    metadata.set(errorTypeMetadataKey, 'no_such_type');
    const error = protocolErrorFromStatus({ code: status.NOT_FOUND, details: 'gone', metadata });
    expect([error.type, error.message]).toEqual(['not_found', 'gone']);
  });
});
