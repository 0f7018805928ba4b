import type { RtmClient } from '@threadline/sdk/browser';
import { useState } from 'preact/hooks';
import { type ChatView, chatView } from '../shared/timeline.ts';

type Json = Record<string, unknown>;

/** Searches past threads (`list_archives` with a text query) and lists what matched. */
export function Archives({ rtm, onFailure }: { rtm: RtmClient; onFailure(message: string): void }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<ChatView[]>();
  async function search() {
    try {
      const answer = await rtm.request('list_archives', query ? { filters: { query } } : {});
      setFound(((answer.chats ?? []) as Json[]).map((chat) => chatView(chat)));
    } catch (error) {
      onFailure((error as Error).message);
    }
  }
  return (
    <details class="archives stack">
      <summary>
        <h2>Archives</h2>
      </summary>
      <form
        class="search"
        onSubmit={(event) => {
          event.preventDefault();
          void search();
        }}
      >
        <label for="archive-query">Search past chats</label>
        <input
          id="archive-query"
          type="search"
          value={query}
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
        <button type="submit">Search</button>
      </form>
      {found && (
        <ol class="archive-results" aria-live="polite" aria-label="Search results">
          {found.length === 0 && <li>Nothing found.</li>}
          {found.map((chat) => (
            <li key={chat.id}>
              <strong>
                {chat.users.find((user) => user.type === 'customer')?.name || 'Customer'}
              </strong>
              {chat.events.map((event) => (
                <p key={event.id}>{event.text ?? event.file?.name}</p>
              ))}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
