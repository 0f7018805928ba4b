import {
  type AccountsDatabase,
  authenticate,
  createIdentityTransfer,
  findClient,
  findCustomer,
  issueCustomerToken,
  redeemIdentityTransfer,
} from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import { requireNotBanned } from './customer-bans.ts';
import { TokenGrantError } from './token-grant-error.ts';

/**
 * `POST /v2/customer/identity_transfer`: the holder of a customer token (`bearer_type`
 * `customer`), or an agent naming the customer (`bearer_type` `agent` + `customer_id`), gets a
 * one-time token that `client_id` redeems with the `identity_token` grant, within an hour.
 */
export async function transferIdentity(
  db: Kysely<AccountsDatabase>,
  request: { params: Record<string, unknown>; authorization: string | undefined },
): Promise<Record<string, unknown>> {
  const { params } = request;
  const bearerType = text(params, 'bearer_type') ?? 'customer';
  const caller = await authenticate(db, request.authorization);
  const expected = bearerType === 'agent' ? ['agent', 'bot'] : ['customer'];
  if (!caller || !expected.includes(caller.userType)) {
    throw new TokenGrantError('authentication', 'access_denied', `Invalid ${bearerType} token`);
  }
  const customerId = caller.userType === 'customer' ? caller.userId : text(params, 'customer_id');
  if (!customerId) {
    throw new TokenGrantError('validation', 'invalid_request', 'customer_id is required');
  }
  const customer = await findCustomer(db, caller.organizationId, customerId);
  if (!customer) throw new TokenGrantError('not_found', 'invalid_request', 'Unknown customer_id');
  const clientId = text(params, 'client_id');
  const client = clientId ? await findClient(db, clientId) : undefined;
  if (!client || client.organizationId !== caller.organizationId) {
    throw new TokenGrantError('authorization', 'invalid_client', 'Unknown client_id');
  }
  const transfer = await createIdentityTransfer(db, {
    organizationId: caller.organizationId,
    customerId,
    clientId: client.id,
    codeChallenge: text(params, 'code_challenge'),
  });
  return { identity_transfer_token: transfer.token, expires_in: transfer.expiresIn };
}

/** The `identity_token` grant: redeems a transfer token for a customer access token. */
export async function identityTokenGrant(
  db: Kysely<AccountsDatabase>,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const clientId = text(params, 'client_id');
  const code = text(params, 'code');
  if (!clientId || !code) {
    throw new TokenGrantError('validation', 'invalid_request', 'client_id and code are required');
  }
  const redeemed = await redeemIdentityTransfer(db, {
    token: code,
    clientId,
    codeVerifier: text(params, 'code_verifier'),
  });
  if (!redeemed.ok) {
    throw new TokenGrantError(
      'authorization',
      'invalid_grant',
      `Transfer refused: ${redeemed.reason}`,
    );
  }
  await requireNotBanned(db, redeemed.organizationId, redeemed.customerId);
  const token = await issueCustomerToken(db, {
    organizationId: redeemed.organizationId,
    customerId: redeemed.customerId,
    clientId,
  });
  return {
    access_token: token.accessToken,
    client_id: clientId,
    entity_id: redeemed.customerId,
    expires_in: token.expiresIn,
    token_type: token.tokenType,
    organization_id: redeemed.organizationId,
  };
}

function text(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
