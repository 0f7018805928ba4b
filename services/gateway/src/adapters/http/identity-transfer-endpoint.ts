import type { IncomingMessage, ServerResponse } from 'node:http';
import { transferIdentity } from '../../application/identity-transfer.ts';
import { sendJson } from './respond.ts';
import {
  readTokenParams,
  sendTokenFailure,
  type TokenEndpointDependencies,
} from './token-endpoint.ts';

/** `POST /v2/customer/identity_transfer`; refusals answer as the token endpoint's do. */
export async function handleIdentityTransfer(
  dependencies: TokenEndpointDependencies,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<number> {
  try {
    const params = await readTokenParams(dependencies, request);
    const result = await transferIdentity(dependencies.db, {
      params,
      authorization: request.headers.authorization,
    });
    sendJson(response, 200, result, { 'cache-control': 'no-store' });
    return 200;
  } catch (error) {
    return sendTokenFailure(response, dependencies.asProtocolError(error));
  }
}
