import { describe, expect, it } from 'vitest';
import { toProtocolTimestamp } from './timestamps.ts';

describe('protocol timestamps', () => {
  it('turns RFC 3339 times of any offset and precision into UTC with microseconds', () => {
    expect(toProtocolTimestamp('2017-10-12T15:19:21.010200Z')).toBe('2017-10-12T15:19:21.010200Z');
    expect(toProtocolTimestamp('2017-10-12T17:19:21.0102+02:00')).toBe(
      '2017-10-12T15:19:21.010200Z',
    );
    expect(toProtocolTimestamp('2017-10-12T15:19:21Z')).toBe('2017-10-12T15:19:21.000000Z');
    expect(toProtocolTimestamp('2017-10-12T15:19:21.1234567-01:30')).toBe(
      '2017-10-12T16:49:21.123456Z',
    );
  });

  it('refuses anything else', () => {
    expect(toProtocolTimestamp('2017-10-12')).toBeUndefined();
    expect(toProtocolTimestamp('2017-13-40T99:00:00Z')).toBeUndefined();
  });
});
