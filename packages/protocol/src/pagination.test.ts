import { describe, expect, it } from 'vitest';
import { ProtocolError } from './errors.ts';
import { pageIdLifetimeMs, pageOf, resolvePage } from './pagination.ts';

const defaults = { limit: 10, filters: {} };
const firstPage = (now: Date) =>
  pageOf(
    [{ n: 1 }, { n: 2 }, { n: 3 }],
    resolvePage({ limit: 2 }, { name: 'a' }, defaults, now),
    (row) => row.n,
    now,
  );

describe('page ids', () => {
  it('remember the first call filters, limit and order', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const page = firstPage(now);
    expect(page.items).toEqual([{ n: 1 }, { n: 2 }]);
    const next = resolvePage({ page_id: page.next_page_id! }, undefined, defaults, now);
    expect(next).toMatchObject({ filters: { name: 'a' }, limit: 2, sortOrder: 'desc', cursor: 2 });
  });

  it('refuse a page id mixed with filters, limit or order', () => {
    const pageId = firstPage(new Date()).next_page_id!;
    expect(() => resolvePage({ page_id: pageId, limit: 3 }, undefined, defaults)).toThrow(
      ProtocolError,
    );
    expect(() => resolvePage({ page_id: pageId }, { name: 'b' }, defaults)).toThrow(/page_id/);
  });

  it('expire after a month and refuse unreadable ones', () => {
    const issued = new Date('2026-01-01T00:00:00Z');
    const pageId = firstPage(issued).next_page_id!;
    const later = new Date(issued.getTime() + pageIdLifetimeMs + 1);
    expect(() => resolvePage({ page_id: pageId }, undefined, defaults, later)).toThrow(/expired/);
    expect(() => resolvePage({ page_id: 'not-a-page' }, undefined, defaults)).toThrow(/invalid/);
  });
});
