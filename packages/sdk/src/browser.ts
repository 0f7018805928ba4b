/**
 * The SDK for browser pages: everything that needs no Node API. RTM runs over the browser's own
 * WebSocket (the `browser` condition of `#rtm-socket`); cookies are the browser's.
 */
export { authorizationHeader, type Credentials } from './credentials.ts';
export {
  type CustomerToken,
  type CustomerTokenRequest,
  requestCustomerToken,
} from './customer-token.ts';
export { errorFromEnvelope, ThreadlineApiError } from './errors.ts';
export { withRetries } from './retries.ts';
export { RtmClient, type RtmOptions } from './rtm.ts';
export {
  type CallOptions,
  createWebClient,
  type ResponsePayload,
  type WebApi,
  type WebClient,
  type WebClientOptions,
} from './web.ts';
