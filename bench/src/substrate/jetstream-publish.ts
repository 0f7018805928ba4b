import { performance } from 'node:perf_hooks';
import { connectBus } from '@threadline/bus';
import { uniqueNamespace } from '@threadline/testkit';

/**
 * Raw JetStream publish throughput: asynchronous publishes with acks, at most `window` unacked at
 * once, until `messages` are acked or `seconds` have passed; messages of `bytes` (a chat event's
 * size). The stream is the run's own (file storage, as Threadline's) and is deleted at the end.
 */
export async function measureJetStreamPublish(options: {
  natsUrl: string;
  messages: number;
  seconds: number;
  window?: number;
  bytes?: number;
}): Promise<{
  messages: number;
  seconds: number;
  perSecond: number;
  window: number;
  serverVersion: string;
}> {
  const window = options.window ?? 256;
  const namespace = uniqueNamespace('substrate');
  const bus = await connectBus({ url: options.natsUrl, name: 'bench-substrate-publish' });
  await bus.manager.streams.add({ name: namespace, subjects: [`${namespace}.>`] });
  try {
    const payload = new Uint8Array(options.bytes ?? 400).fill(120);
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    let acked = 0;
    let issued = 0;
    // `window` publishers in turn: each keeps one publish in flight, so at most `window` at once.
    await Promise.all(
      Array.from({ length: window }, async (_, lane) => {
        while (issued < options.messages && performance.now() < deadline) {
          issued += 1;
          await bus.jetstream.publish(`${namespace}.chat.${lane % 64}`, payload);
          acked += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const serverVersion = bus.connection.info?.version ?? 'unknown';
    return { messages: acked, seconds, perSecond: acked / seconds, window, serverVersion };
  } finally {
    await bus.manager.streams.delete(namespace);
    await bus.connection.drain();
  }
}
