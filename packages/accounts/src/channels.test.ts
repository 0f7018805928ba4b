import { describe, expect, it } from 'vitest';
import { channelsOf } from './channels.ts';

const at = (day: number) => new Date(Date.UTC(2026, 0, day));

describe('channelsOf', () => {
  it('makes every widget client one code channel, active since the earliest of them', () => {
    expect(
      channelsOf([
        { id: 'w1', kind: 'customer_widget', firstActivityAt: at(5) },
        { id: 'w2', kind: 'customer_widget', firstActivityAt: at(3) },
      ]),
    ).toEqual([{ type: 'code', subtype: '', firstActivityAt: at(3) }]);
  });

  it('makes each server client an integration named by its id, oldest channel first', () => {
    expect(
      channelsOf([
        { id: 'w1', kind: 'customer_widget', firstActivityAt: at(5) },
        { id: 's1', kind: 'server', firstActivityAt: at(7) },
        { id: 's2', kind: 'server', firstActivityAt: at(1) },
      ]),
    ).toEqual([
      { type: 'integration', subtype: 's2', firstActivityAt: at(1) },
      { type: 'code', subtype: '', firstActivityAt: at(5) },
      { type: 'integration', subtype: 's1', firstActivityAt: at(7) },
    ]);
    expect(channelsOf([])).toEqual([]);
  });
});
