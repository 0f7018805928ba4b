import { type ErrorType, ProtocolError } from '@threadline/protocol';

/**
 * A broken accounts rule (unknown organization, duplicate agent, a value out of range). It is a
 * ProtocolError so that the gateway and the admin CLI report it in the protocol's own words.
 */
export class AccountsError extends ProtocolError {
  override name = 'AccountsError';

  constructor(
    type: Extract<
      ErrorType,
      | 'validation'
      | 'not_found'
      | 'already_exists'
      | 'authorization'
      | 'group_not_found'
      | 'limit_reached'
    >,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(type, message, undefined, options);
  }
}
