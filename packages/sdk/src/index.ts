// Everything the browser entry has, plus what needs Node (a cookie jar, resume cursors kept
// across connections, webhook receivers).
export * from './browser.ts';
export { CookieJar } from './customer-token.ts';
export { ResumeCursors } from './resume-cursors.ts';
export {
  ensureWebhooks,
  type ReceivedWebhook,
  verifyWebhook,
  type WantedWebhook,
  type WebhookCheck,
  type WebhookEnvelope,
  webhookListener,
} from './webhooks.ts';
