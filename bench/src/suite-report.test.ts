import { describe, expect, it } from 'vitest';
import { messagingFloor } from './suite-report.ts';

describe('messagingFloor', () => {
  it('prices every service’s writes per event at the loopback message’s cost', () => {
    const floor = messagingFloor(
      {
        perEventByService: {
          gateway: { cpuMs: 1, reads: 3, writes: 4 },
          'chat-store': { cpuMs: 3, reads: 5, writes: 10 },
          router: { cpuMs: 1, reads: 2, writes: 2 },
        },
      },
      20,
      2,
    );
    expect(floor.messagesPerEvent).toBe(16);
    expect(floor.cpuMsPerEvent).toBeCloseTo(0.32);
    expect(floor.eventsPerSecond).toBeCloseTo(6_250);
  });
});
