import { uniqueNamespace } from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bus, connectBus } from './connect.ts';
import { ensureConfigurationStream, ensureStreams } from './streams.ts';
import { createSubjects } from './subjects.ts';

describe('declaring the streams', () => {
  let bus: Bus;
  const subjects = createSubjects(uniqueNamespace('streams'));

  beforeAll(async () => {
    bus = await connectBus({ url: testInfrastructure().natsUrl, name: 'streams-test' });
  });

  afterAll(async () => {
    for (const stream of [subjects.chatStream, subjects.configurationStream])
      await bus.manager.streams.delete(stream).catch(() => undefined);
    await bus.connection.drain();
  });

  it('succeeds for every replica when many declare the same streams at once', async () => {
    // A rollout starts replicas together (each its own connection): their adds cross, and none
    // may fail for it.
    const replicas = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        connectBus({ url: testInfrastructure().natsUrl, name: `streams-replica-${index}` }),
      ),
    );
    try {
      const declarations = replicas.map((replica) =>
        Promise.all([
          ensureStreams(replica.manager, subjects, { replicas: 1 }),
          ensureConfigurationStream(replica.manager, subjects, { replicas: 1 }),
        ]),
      );
      await expect(Promise.all(declarations)).resolves.toBeDefined();
    } finally {
      await Promise.all(replicas.map((replica) => replica.connection.close()));
    }
    const info = await bus.manager.streams.info(subjects.chatStream);
    expect(info.config.subjects).toEqual([subjects.allChatEvents, subjects.allCustomerClaims]);
  });
});
