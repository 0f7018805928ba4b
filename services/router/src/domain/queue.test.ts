import { describe, expect, it } from 'vitest';
import { mayWait, queuePlaces, secondsPerPlace } from './queue.ts';
import { defaultRoutingSettings } from './routing-settings.ts';

const now = 10_000_000;
const waiting = (chatId: string, queuedAt: number, groupIds: number[]) => ({
  chatId,
  threadId: `${chatId}-T`,
  groupIds,
  queuedAt,
});

describe('queue places', () => {
  it('counts only the threads ahead that compete for the same agents', () => {
    const places = queuePlaces(
      [
        waiting('sales2', 3, [5]),
        waiting('general', 1, [0]),
        waiting('support', 2, [7]),
        waiting('sales1', 0, [5]),
      ],
      [],
      now,
    );
    expect(places.get('sales1')?.position).toBe(1);
    expect(places.get('general')?.position).toBe(2); // behind sales1: any agent could take either
    expect(places.get('support')?.position).toBe(2); // only the general chat competes
    expect(places.get('sales2')?.position).toBe(3);
    expect(places.get('sales2')?.queuedAt).toBe(3);
  });

  it('estimates a minute per place until the queue has a pace, then uses it', () => {
    expect(queuePlaces([waiting('c', 0, [0])], [], now).get('c')?.waitTime).toBe(60);
    // 6 threads left the queue over the last 30 minutes: 5 minutes per place.
    const departures = Array.from({ length: 6 }, (_, index) => ({
      leftAt: now - 30 * 60_000 + index * 5 * 60_000,
      waitedMs: 1000,
    }));
    expect(secondsPerPlace(departures, now)).toBe(300);
    const places = queuePlaces([waiting('a', 0, [0]), waiting('b', 1, [0])], departures, now);
    expect(places.get('b')?.waitTime).toBe(600);
    // Departures older than the hour's window do not count.
    const old = departures.map((departure) => ({
      ...departure,
      leftAt: departure.leftAt - 7_200_000,
    }));
    expect(secondsPerPlace(old, now)).toBe(60);
  });

  it('lets a thread wait while the queue is on and has room; continuous chats always', () => {
    const queue = { enabled: true, limit: 2 };
    const settings = { ...defaultRoutingSettings, queue };
    expect(mayWait(settings, 1, false)).toBe(true);
    expect(mayWait(settings, 2, false)).toBe(false);
    expect(mayWait(settings, 2, true)).toBe(true);
    const off = { ...defaultRoutingSettings, queue: { enabled: false, limit: 100 } };
    expect(mayWait(off, 0, false)).toBe(false);
    expect(mayWait({ ...off, manualRouting: true }, 0, false)).toBe(true);
  });
});
