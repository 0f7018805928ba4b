import { describe, expect, it } from 'vitest';
import { pushVersions } from './push-filter.ts';

describe('pushVersions', () => {
  it('sends every push in the connection version when there is no filter', () => {
    expect(pushVersions(undefined, '3.5', 'incoming_event')).toEqual(['3.5']);
    expect(pushVersions({}, '3.6', 'incoming_event')).toEqual(['3.6']);
  });

  it('sends a push in each listed version that names it or "all"', () => {
    const filter = { '3.5': ['incoming_chat'], '3.7': ['all'] };
    expect(pushVersions(filter, '3.6', 'incoming_chat')).toEqual(['3.5', '3.7']);
    expect(pushVersions(filter, '3.6', 'chat_deactivated')).toEqual(['3.7']);
  });

  it('ignores versions it does not serve and drops unlisted pushes', () => {
    expect(pushVersions({ '9.9': ['all'] }, '3.6', 'incoming_chat')).toEqual([]);
    expect(pushVersions({ '3.6': ['incoming_event'] }, '3.6', 'incoming_chat')).toEqual([]);
  });
});
