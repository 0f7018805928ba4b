export { signBody } from './adapters/http/webhook-sender.ts';
export { type Config, configSchema, loadConfig } from './config.ts';
export { databaseSchema, startWebhookService, type WebhookService } from './service.ts';
