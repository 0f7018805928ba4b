import { describe, expect, it } from 'vitest';
import { pushVersions, wantsPush } from './push-filter.ts';

describe('pushVersions', () => {
  it('sends pushes in the connection version when there is no filter', () => {
    expect(pushVersions(undefined, '3.5')).toEqual(['3.5']);
    expect(pushVersions({}, '3.6')).toEqual(['3.6']);
  });

  it('sends pushes in each listed version it serves', () => {
    expect(pushVersions({ '3.5': ['incoming_chat'], '3.7': ['all'] }, '3.6')).toEqual([
      '3.5',
      '3.7',
    ]);
    expect(pushVersions({ '9.9': ['all'] }, '3.6')).toEqual([]);
  });
});

describe('wantsPush', () => {
  it('wants everything without a filter', () => {
    expect(wantsPush(undefined, '3.5', 'incoming_event')).toBe(true);
    expect(wantsPush({}, '3.6', 'incoming_event')).toBe(true);
  });

  it('wants what a version lists by name, or everything with "all"', () => {
    const filter = { '3.4': ['auto_access_added'], '3.7': ['all'] };
    expect(wantsPush(filter, '3.4', 'auto_access_added')).toBe(true);
    expect(wantsPush(filter, '3.4', 'auto_accesses_updated')).toBe(false);
    expect(wantsPush(filter, '3.7', 'chat_deactivated')).toBe(true);
    expect(wantsPush(filter, '3.6', 'incoming_chat')).toBe(false);
  });
});
