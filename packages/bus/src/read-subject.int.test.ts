import { uniqueNamespace } from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bus, connectBus } from './connect.ts';
import { readSubject } from './read-subject.ts';

describe('readSubject over real JetStream', () => {
  let bus: Bus;
  const namespace = uniqueNamespace('read');
  const stream = `${namespace.toUpperCase()}_READ`;

  beforeAll(async () => {
    bus = await connectBus({ url: testInfrastructure().natsUrl, name: 'read-subject-test' });
    await bus.manager.streams.add({ name: stream, subjects: [`${namespace}.>`] });
  });

  afterAll(async () => {
    await bus.manager.streams.delete(stream).catch(() => undefined);
    await bus.connection.drain();
  });

  it('reads every message of a subject in stream order, past one fetch, and nothing of others', async () => {
    const encoder = new TextEncoder();
    for (let index = 0; index < 2_500; index += 1) {
      const subject = `${namespace}.${index % 5 === 0 ? 'other' : 'mine'}`;
      await bus.jetstream.publish(subject, encoder.encode(String(index)));
    }
    const read = await readSubject(bus.jetstream, stream, `${namespace}.mine`);
    const decoder = new TextDecoder();
    const values = read.map((message) => Number(decoder.decode(message.data)));
    expect(values).toEqual(
      Array.from({ length: 2_500 }, (_, index) => index).filter((index) => index % 5 !== 0),
    );
    expect(read.map((message) => message.sequence)).toEqual(
      [...read.map((message) => message.sequence)].sort((a, b) => a - b),
    );
  });

  it('answers an empty subject with nothing', async () => {
    expect(await readSubject(bus.jetstream, stream, `${namespace}.nobody`)).toEqual([]);
  });
});
