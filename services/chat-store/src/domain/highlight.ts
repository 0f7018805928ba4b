import type { ChatEvent } from '@threadline/protocol';

export interface HighlightTags {
  pre: string;
  post: string;
}

/** One event's text with the query's words marked, as `list_archives` returns it per thread. */
export interface Highlight {
  event_id: string;
  type: string;
  field: 'text';
  highlight: string;
}

const word = /[\p{L}\p{N}]+/gu;

/**
 * The events whose text holds a word of the query, with each such word wrapped in the tags.
 * Words match whole and case-insensitively, as the archive search (full text, `simple`) does.
 */
export function highlightEvents(
  events: readonly ChatEvent[],
  query: string,
  tags: HighlightTags,
): Highlight[] {
  const words = [...new Set(query.toLowerCase().match(word) ?? [])];
  if (words.length === 0) return [];
  const escaped = words.map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  return events.flatMap((event) => {
    if (typeof event.text !== 'string' || event.deleted) return [];
    const marked = event.text.replace(pattern, `${tags.pre}$1${tags.post}`);
    if (marked === event.text) return [];
    return [{ event_id: event.id, type: event.type, field: 'text' as const, highlight: marked }];
  });
}
