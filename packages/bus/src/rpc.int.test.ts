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

  it('says service_unavailable when nobody serves the subject', async () => {
    await expect(
      callService(bus.connection, `${subject}.nobody`, command('echo')),
    ).rejects.toMatchObject({
      type: 'service_unavailable',
    });
  });
});
