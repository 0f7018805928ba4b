import { createExternalService } from './external-service.ts';

/** Runs the stand-in external messaging service: `PORT` (8092), `EXTERNAL_API_TOKEN`. */
const port = Number(process.env.PORT ?? 8092);
const apiToken = process.env.EXTERNAL_API_TOKEN ?? 'external-demo-token';
const server = createExternalService({ apiToken });
server.listen(port, process.env.HOST ?? '127.0.0.1', () => {
  process.stdout.write(`external messaging service on http://127.0.0.1:${port}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    // Long polls would otherwise hold the close back for their timeout.
    server.closeAllConnections();
  });
}
