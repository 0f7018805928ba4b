export { signWebhook, verifySignature } from '@threadline/protocol';
export { type Config, configSchema, loadConfig } from './config.ts';
export { databaseSchema, startWebhookService, type WebhookService } from './service.ts';
