export { authorizationHeader, type Credentials } from './credentials.ts';
export {
  CookieJar,
  type CustomerToken,
  type CustomerTokenRequest,
  requestCustomerToken,
} from './customer-token.ts';
export { errorFromEnvelope, ThreadlineApiError } from './errors.ts';
export { ResumeCursors } from './resume-cursors.ts';
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
export {
  ensureWebhooks,
  type ReceivedWebhook,
  verifyWebhook,
  type WantedWebhook,
  type WebhookCheck,
  type WebhookEnvelope,
  webhookListener,
} from './webhooks.ts';
