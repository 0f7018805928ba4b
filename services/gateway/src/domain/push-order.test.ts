import { describe, expect, it } from 'vitest';
import { createPushOrder } from './push-order.ts';

const push = (sequence: number, index: number, previous: number, chat_id = 'A') => ({
  payload: { _threadline: { chat_id, sequence, index, previous } },
});

describe('push order', () => {
  it('sends pushes that arrive in order at once', () => {
    const sut = createPushOrder();
    expect(sut.accept(push(3, 0, 1))).toEqual([push(3, 0, 1)]);
    expect(sut.accept(push(3, 1, 1))).toEqual([push(3, 1, 1)]);
    expect(sut.accept(push(5, 0, 3))).toEqual([push(5, 0, 3)]);
    expect(sut.waitingAfter('A')).toBeUndefined();
  });

  it('holds a push whose previous batch has not gone out, and sends both in order when it comes', () => {
    const sut = createPushOrder();
    sut.accept(push(3, 0, 1));
    expect(sut.accept(push(6, 0, 5))).toEqual([]);
    expect(sut.accept(push(6, 1, 5))).toEqual([]);
    expect(sut.waitingAfter('A')).toBe(3);
    expect(sut.accept(push(5, 0, 3))).toEqual([push(5, 0, 3), push(6, 0, 5), push(6, 1, 5)]);
    expect(sut.waitingAfter('A')).toBeUndefined();
  });

  it('keeps chats apart, and lets pushes without a full position through', () => {
    const sut = createPushOrder();
    sut.accept(push(3, 0, 1));
    expect(sut.accept(push(9, 0, 8))).toEqual([]);
    expect(sut.accept(push(1, 0, 0, 'B'))).toEqual([push(1, 0, 0, 'B')]);
    const direct = { payload: { _threadline: { chat_id: 'A', sequence: 10 } } };
    expect(sut.accept(direct)).toEqual([direct]);
    expect(sut.accept({ payload: {} })).toEqual([{ payload: {} }]);
  });

  it('after a replay, drops what it covered and sends what follows', () => {
    const sut = createPushOrder();
    sut.accept(push(3, 0, 1));
    sut.accept(push(6, 0, 5));
    sut.accept(push(8, 0, 7));
    expect(sut.skipTo('A', 6)).toEqual([]);
    expect(sut.waitingAfter('A')).toBe(6);
    expect(sut.skipTo('A', 7)).toEqual([push(8, 0, 7)]);
  });

  it('gives up waiting in order when told to', () => {
    const sut = createPushOrder();
    sut.accept(push(3, 0, 1));
    sut.accept(push(8, 0, 7));
    sut.accept(push(6, 0, 5));
    expect(sut.flush('A')).toEqual([push(6, 0, 5), push(8, 0, 7)]);
    expect(sut.accept(push(9, 0, 8))).toEqual([push(9, 0, 8)]);
  });

  it('sends a late push of an earlier batch at once', () => {
    const sut = createPushOrder();
    sut.accept(push(5, 0, 3));
    expect(sut.accept(push(3, 0, 1))).toEqual([push(3, 0, 1)]);
  });
});
