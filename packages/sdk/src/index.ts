export { type Credentials, authorizationHeader } from './credentials.ts';
export {
  CookieJar,
  type CustomerToken,
  type CustomerTokenRequest,
  requestCustomerToken,
} from './customer-token.ts';
export { ThreadlineApiError, errorFromEnvelope } from './errors.ts';
export { RtmClient, type RtmOptions } from './rtm.ts';
export { type ResponsePayload, type WebApi, type WebClient, type WebClientOptions, createWebClient } from './web.ts';
