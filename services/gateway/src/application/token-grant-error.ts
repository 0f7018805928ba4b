import { type ErrorType, ProtocolError } from '@threadline/protocol';

/**
 * A refused token request. LiveChat's customer-auth library reads `oauth_exception` (and retries
 * only on `server_error` / `temporarily_unavailable`); Threadline's own clients read the protocol
 * envelope. The HTTP adapter sends both.
 */
export class TokenGrantError extends ProtocolError {
  override name = 'TokenGrantError';
  readonly oauthException: string;

  constructor(type: ErrorType, oauthException: string, message: string) {
    super(type, message);
    this.oauthException = oauthException;
  }
}
