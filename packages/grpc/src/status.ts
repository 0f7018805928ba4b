import { Metadata, type StatusObject, status } from '@grpc/grpc-js';
import { type ErrorType, errorTypes, isErrorType, ProtocolError } from '@threadline/protocol';

/** Trailing metadata that names the protocol error type, so a client rebuilds the exact error. */
export const errorTypeMetadataKey = 'threadline-error-type';
/** The error's `data` as JSON (binary metadata: JSON may hold any Unicode). */
export const errorDataMetadataKey = 'threadline-error-data-bin';

/**
 * The gRPC status for each protocol error type. The split follows gRPC's own guidance: a problem
 * with the request whatever the state (INVALID_ARGUMENT), a state the caller must change first
 * (FAILED_PRECONDITION: the chat, agent, group or licence is not in the state the method needs), a
 * quota or limit (RESOURCE_EXHAUSTED), and who may do what (UNAUTHENTICATED, PERMISSION_DENIED).
 * UNAVAILABLE is kept for `service_unavailable` alone, since clients retry UNAVAILABLE blindly.
 */
const statusByErrorType: Record<ErrorType, status> = {
  authentication: status.UNAUTHENTICATED,
  authorization: status.PERMISSION_DENIED,
  validation: status.INVALID_ARGUMENT,
  chat_inactive: status.FAILED_PRECONDITION,
  not_found: status.NOT_FOUND,
  missing_access: status.PERMISSION_DENIED,
  agent_offline: status.FAILED_PRECONDITION,
  too_many_requests: status.RESOURCE_EXHAUSTED,
  pending_requests_limit_reached: status.RESOURCE_EXHAUSTED,
  request_timeout: status.DEADLINE_EXCEEDED,
  requester_already_offline: status.FAILED_PRECONDITION,
  requester_awaiting_approval: status.FAILED_PRECONDITION,
  requester_suspended: status.PERMISSION_DENIED,
  seats_limit_exceeded: status.RESOURCE_EXHAUSTED,
  users_limit_reached: status.RESOURCE_EXHAUSTED,
  customer_banned: status.PERMISSION_DENIED,
  chat_anonymized: status.FAILED_PRECONDITION,
  greeting_not_found: status.NOT_FOUND,
  group_not_found: status.NOT_FOUND,
  group_offline: status.FAILED_PRECONDITION,
  group_unavailable: status.FAILED_PRECONDITION,
  groups_offline: status.FAILED_PRECONDITION,
  not_allowed: status.PERMISSION_DENIED,
  entity_too_large: status.INVALID_ARGUMENT,
  limit_reached: status.RESOURCE_EXHAUSTED,
  license_expired: status.FAILED_PRECONDITION,
  license_not_found: status.NOT_FOUND,
  // Retrying elsewhere is the caller's decision (the answer names the right region), not a blind retry.
  misdirected_request: status.FAILED_PRECONDITION,
  service_unavailable: status.UNAVAILABLE,
  unsupported_version: status.INVALID_ARGUMENT,
  wrong_product_version: status.INVALID_ARGUMENT,
  internal: status.INTERNAL,
  already_exists: status.ALREADY_EXISTS,
  ownership_transfer: status.FAILED_PRECONDITION,
};

export function grpcStatusFor(type: ErrorType): status {
  return statusByErrorType[type];
}

/**
 * The protocol error a status means when it carries no error type (the failure came from the
 * transport, not a handler: connection refused, the client's own deadline): the first type in the
 * protocol's list that maps to the code, so UNAVAILABLE is `service_unavailable` and
 * DEADLINE_EXCEEDED `request_timeout`; codes no type maps to are `internal`.
 */
export function errorTypeForStatus(code: status): ErrorType {
  return errorTypes.find((type) => statusByErrorType[type] === code) ?? 'internal';
}

/**
 * What a handler's failure is sent as. Anything but a ProtocolError is `internal`, with a generic
 * message: its text may hold details the caller has no business seeing.
 */
export function statusForError(error: unknown): StatusObject {
  const failure =
    error instanceof ProtocolError ? error : new ProtocolError('internal', 'Internal server error');
  const metadata = new Metadata();
  metadata.set(errorTypeMetadataKey, failure.type);
  if (failure.data !== undefined) {
    metadata.set(errorDataMetadataKey, Buffer.from(JSON.stringify(failure.data)));
  }
  return { code: grpcStatusFor(failure.type), details: failure.message, metadata };
}

/** The ProtocolError a failed call stands for: exact when the server named it, else by status code. */
export function protocolErrorFromStatus(failure: Partial<StatusObject>): ProtocolError {
  const code = failure.code ?? status.UNKNOWN;
  const named = failure.metadata?.get(errorTypeMetadataKey)[0];
  const type = typeof named === 'string' && isErrorType(named) ? named : errorTypeForStatus(code);
  const data = failure.metadata?.get(errorDataMetadataKey)[0];
  return new ProtocolError(
    type,
    failure.details || status[code] || 'Unknown error',
    Buffer.isBuffer(data) ? parseJson(data.toString('utf8')) : undefined,
    { cause: failure },
  );
}

/** Trailers come from whatever answered (a proxy, another server): bad JSON is no data, not a crash. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
