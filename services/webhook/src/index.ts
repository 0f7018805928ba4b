export { type Config, configSchema, loadConfig } from './config.ts';
export { signWebhook, verifySignature } from './domain/signature.ts';
export { databaseSchema, startWebhookService, type WebhookService } from './service.ts';
