import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateFile } from './state.ts';

describe('StateFile', () => {
  it('starts empty, and a reopened file has what was saved, with no temporary file left', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'bridge-state-'));
    const path = join(directory, 'state.json');
    const sut = await StateFile.open(path);
    expect(sut.state).toEqual({ nextUpdateId: 1, links: {}, sentEventIds: [] });
    sut.state.links['user-1'] = { customerId: 'customer-1', chatId: 'CHAT1' };
    sut.state.nextUpdateId = 4;
    await Promise.all([sut.save(), sut.markSent('CHAT1_3')]);

    const reopened = await StateFile.open(path);
    expect(reopened.state.nextUpdateId).toBe(4);
    expect(reopened.userOfChat('CHAT1')).toBe('user-1');
    expect(reopened.userOfChat('OTHER')).toBeUndefined();
    expect(reopened.wasSent('CHAT1_3')).toBe(true);
    expect(readdirSync(directory)).toEqual(['state.json']);
  });
});
