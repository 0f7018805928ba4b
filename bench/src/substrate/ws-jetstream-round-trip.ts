import { performance } from 'node:perf_hooks';
import { connectBus } from '@threadline/bus';
import { uniqueNamespace } from '@threadline/testkit';
import WebSocket, { WebSocketServer } from 'ws';

/**
 * The bare path a message takes through Threadline, without Threadline: a websocket server that
 * publishes each frame to JetStream and waits for the ack, a core NATS subscription on that subject,
 * and the frame written to a second websocket; the ack goes back to the sender as an answer. One
 * message at a time, after `warmUp` messages; the sample is from the sender's `send` until both
 * the answer and the receiver's frame have arrived, so it holds the stream's write (the subscription
 * may see the message before the stream has stored it), as Threadline's push comes after its append. The stream is the run's own
 * (file storage, as Threadline's) and is deleted at the end.
 */
export async function measureWsJetStreamRoundTrip(options: {
  natsUrl: string;
  messages: number;
  warmUp?: number;
}): Promise<number[]> {
  const warmUp = options.warmUp ?? 20;
  const namespace = uniqueNamespace('substrate');
  const subject = `${namespace}.events`;
  const bus = await connectBus({ url: options.natsUrl, name: 'bench-substrate-round-trip' });
  await bus.manager.streams.add({ name: namespace, subjects: [`${namespace}.>`] });
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const receivers = new Set<WebSocket>();
  try {
    server.on('connection', (socket, request) => {
      if (request.url === '/receive') {
        receivers.add(socket);
        return;
      }
      socket.on('message', (data: Buffer) => {
        bus.jetstream.publish(subject, data).then(
          (ack) => socket.send(String(ack.seq)),
          () => socket.close(),
        );
      });
    });
    bus.connection.subscribe(subject, {
      callback: (_error, message) => {
        for (const receiver of receivers) receiver.send(message.data);
      },
    });
    await bus.connection.flush();
    const { port } = server.address() as { port: number };
    const [sender, receiver] = await Promise.all(
      ['/send', '/receive'].map((path) => openSocket(`ws://127.0.0.1:${port}${path}`)),
    );
    const samples: number[] = [];
    for (let index = 0; index < options.messages + warmUp; index += 1) {
      const text = JSON.stringify({ type: 'message', text: `message ${index}` });
      const arrived = [sender!, receiver!].map(
        (socket) => new Promise<void>((resolve) => socket.once('message', () => resolve())),
      );
      const sentAt = performance.now();
      sender!.send(text);
      await Promise.all(arrived);
      if (index >= warmUp) samples.push(performance.now() - sentAt);
    }
    sender!.close();
    receiver!.close();
    return samples;
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await bus.manager.streams.delete(namespace);
    await bus.connection.drain();
  }
}

function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}
