import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * What one small message costs Node on this machine: a client and an echo server in this process
 * over loopback TCP, one 200-byte message in flight at a time, so every message is its own write
 * on one side and its own read on the other, as most of the platform's NATS messages and Postgres
 * statements are. The CPU time (user + system, both ends) per message sent and received is the
 * floor under a design that sends a given number of messages per event.
 */
export async function measureLoopbackMessages(options: { messages: number }): Promise<{
  messages: number;
  seconds: number;
  /** CPU time per message written by one end and read by the other, µs. */
  cpuMicrosecondsPerMessage: number;
}> {
  const server = createServer((socket) => socket.on('data', (data) => socket.write(data)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const client = connect(address.port, '127.0.0.1');
  client.setNoDelay(true);
  await once(client, 'connect');
  try {
    const payload = Buffer.alloc(200, 'x');
    await pingPong(client, payload, Math.min(1_000, options.messages)); // JIT, buffers
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await pingPong(client, payload, options.messages);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    // Each round trip is two messages: the request and its echo.
    const messages = options.messages * 2;
    return {
      messages,
      seconds,
      cpuMicrosecondsPerMessage: (cpu.user + cpu.system) / messages,
    };
  } finally {
    client.destroy();
    server.close();
  }
}

/** `rounds` round trips, the next sent when the whole echo of the last has arrived. */
function pingPong(client: Socket, payload: Buffer, rounds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let left = rounds;
    let received = 0;
    const onData = (data: Buffer) => {
      received += data.length;
      if (received < payload.length) return;
      received -= payload.length;
      left -= 1;
      if (left === 0) {
        client.off('data', onData);
        resolve();
      } else client.write(payload);
    };
    client.on('data', onData);
    client.once('error', reject);
    client.write(payload);
  });
}

async function main(): Promise<void> {
  const messages = Number(process.argv[2] ?? 20_000);
  const result = await measureLoopbackMessages({ messages });
  console.log(
    `${result.messages} messages over loopback TCP in ${result.seconds.toFixed(2)} s: ` +
      `${result.cpuMicrosecondsPerMessage.toFixed(1)} µs of CPU per message (both ends)`,
  );
}

if (process.argv[1] === import.meta.filename) await main();
