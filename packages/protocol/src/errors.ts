/** The error types of LiveChat's Messaging APIs (spec §6); the envelope is `{error:{type,message,data?}}`. */
export const errorTypes = [
  'authentication',
  'authorization',
  'validation',
  'chat_inactive',
  'not_found',
  'missing_access',
  'agent_offline',
  'too_many_requests',
  'pending_requests_limit_reached',
  'request_timeout',
  'requester_already_offline',
  'requester_awaiting_approval',
  'requester_suspended',
  'seats_limit_exceeded',
  'users_limit_reached',
  'customer_banned',
  'chat_anonymized',
  'greeting_not_found',
  'group_not_found',
  'group_offline',
  'group_unavailable',
  'groups_offline',
  'not_allowed',
  'entity_too_large',
  'limit_reached',
  'license_expired',
  'license_not_found',
  'misdirected_request',
  'service_unavailable',
  'unsupported_version',
  'wrong_product_version',
  'internal',
  'already_exists',
  'ownership_transfer',
] as const;

export type ErrorType = (typeof errorTypes)[number];

export interface ErrorEnvelope {
  error: { type: ErrorType; message: string; data?: unknown };
}

/**
 * A failure the caller must hear about in the protocol's own words. Thrown by handlers and turned
 * into the error envelope by whichever transport answers (Web body, RTM response, batch item).
 */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  readonly type: ErrorType;
  readonly data: unknown;

  constructor(type: ErrorType, message: string, data?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.type = type;
    this.data = data;
  }

  toEnvelope(): ErrorEnvelope {
    return errorEnvelope(this.type, this.message, this.data);
  }
}

export function errorEnvelope(type: ErrorType, message: string, data?: unknown): ErrorEnvelope {
  return { error: data === undefined ? { type, message } : { type, message, data } };
}

export function isErrorType(value: string): value is ErrorType {
  return (errorTypes as readonly string[]).includes(value);
}

/**
 * HTTP status per error type. LiveChat does not publish these; these are Threadline's choice,
 * following the status codes its clients and SDKs treat as the same class of failure.
 */
export const httpStatusByErrorType: Record<ErrorType, number> = {
  authentication: 401,
  authorization: 403,
  validation: 400,
  chat_inactive: 422,
  not_found: 404,
  missing_access: 403,
  agent_offline: 422,
  too_many_requests: 429,
  pending_requests_limit_reached: 429,
  request_timeout: 504,
  requester_already_offline: 422,
  requester_awaiting_approval: 403,
  requester_suspended: 403,
  seats_limit_exceeded: 403,
  users_limit_reached: 403,
  customer_banned: 403,
  chat_anonymized: 422,
  greeting_not_found: 404,
  group_not_found: 404,
  group_offline: 422,
  group_unavailable: 422,
  groups_offline: 422,
  not_allowed: 403,
  entity_too_large: 413,
  limit_reached: 422,
  license_expired: 402,
  license_not_found: 404,
  misdirected_request: 421,
  service_unavailable: 503,
  unsupported_version: 400,
  wrong_product_version: 400,
  internal: 500,
  already_exists: 409,
  ownership_transfer: 422,
};

/**
 * Whether an error is the platform's fault (not a ProtocolError, or one answered with a 5xx:
 * `internal`, `service_unavailable`, `request_timeout`) rather than an answer the request earned
 * (`validation`, `not_found`): traces mark only faults as errors.
 */
export function isServerFault(error: unknown): boolean {
  return !(error instanceof ProtocolError) || httpStatusByErrorType[error.type] >= 500;
}
