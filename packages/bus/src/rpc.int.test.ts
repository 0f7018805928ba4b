import { Command } from '@threadline/contracts';
import { ProtocolError } from '@threadline/protocol';
import { uniqueNamespace } from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bus, connectBus } from './connect.ts';
import { callService, serveCommands } from './rpc.ts';

describe('callService and serveCommands over real NATS', () => {
  let bus: Bus;
  const subject = `${uniqueNamespace()}.rpc`;
  const unexpected: unknown[] = [];

  beforeAll(async () => {
    bus = await connectBus({ url: testInfrastructure().natsUrl, name: 'rpc-test' });
    serveCommands(
      bus.connection,
      subject,
      'test',
      async (command) => {
        if (command.action === 'fail') throw new ProtocolError('chat_inactive', 'Chat is inactive');
        if (command.action === 'crash') throw new Error('boom');
        return {
          echoed: JSON.parse(command.payloadJson) as unknown,
          by: command.requester?.userId,
        };
      },
      (error) => unexpected.push(error),
    );
  });

  afterAll(async () => {
    await bus.connection.drain();
  });

  const command = (action: string, payload: unknown = {}) =>
    Command.fromPartial({
      commandId: action,
      action,
      payloadJson: JSON.stringify(payload),
      requester: { userId: 'ann@acme.test' },
    });

  it('returns the handler payload', async () => {
    await expect(
      callService(bus.connection, subject, command('echo', { text: 'hi' })),
    ).resolves.toEqual({
      echoed: { text: 'hi' },
      by: 'ann@acme.test',
    });
  });

  it('carries a protocol error across with its type', async () => {
    await expect(callService(bus.connection, subject, command('fail'))).rejects.toMatchObject({
      type: 'chat_inactive',
    });
    expect(unexpected).toHaveLength(0);
  });

  it('answers an unexpected failure as internal and reports it', async () => {
    await expect(callService(bus.connection, subject, command('crash'))).rejects.toMatchObject({
      type: 'internal',
    });
    expect(unexpected).toHaveLength(1);
  });

  it('reaches a responder that subscribes just after the request was first sent', async () => {
    const late = `${subject}.late`;
    const answer = callService(bus.connection, late, command('echo', { text: 'late' }));
    setTimeout(() => {
      serveCommands(
        bus.connection,
        late,
        'test',
        async () => ({ served: true }),
        () => {},
      );
    }, 30);
    await expect(answer).resolves.toEqual({ served: true });
  });

  it('drains only once every command taken is answered, so the connection may close after', async () => {
    const draining = `${subject}.draining`;
    const stopping = await connectBus({ url: testInfrastructure().natsUrl, name: 'rpc-stopping' });
    let started: () => void = () => {};
    const handling = new Promise<void>((resolve) => {
      started = resolve;
    });
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const service = serveCommands(
      stopping.connection,
      draining,
      'test',
      async () => {
        started();
        await released;
        return { finished: true };
      },
      (error) => unexpected.push(error),
    );
    await stopping.connection.flush();
    const answer = callService(bus.connection, draining, command('slow'));
    await handling;
    let isDrained = false;
    const drain = service.drain().then(() => {
      isDrained = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isDrained).toBe(false);
    release();
    await drain;
    // What a service does next on shutdown; the answer was out before.
    await stopping.connection.drain();
    await expect(answer).resolves.toEqual({ finished: true });
  });

  it('says service_unavailable when nobody serves the subject', async () => {
    await expect(
      callService(bus.connection, `${subject}.nobody`, command('echo')),
    ).rejects.toMatchObject({
      type: 'service_unavailable',
    });
  });

  it('sends a command nobody serves on its subject to the fallback subject', async () => {
    await expect(
      callService(bus.connection, `${subject}.partition`, command('echo', { text: 'p' }), {
        fallbackSubject: subject,
      }),
    ).resolves.toEqual({ echoed: { text: 'p' }, by: 'ann@acme.test' });
  });
});
