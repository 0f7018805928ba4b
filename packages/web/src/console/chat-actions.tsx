import type { RtmClient, WebClient } from '@threadline/sdk/browser';
import { useEffect, useState } from 'preact/hooks';
import type { ChatView } from '../shared/timeline.ts';

type Json = Record<string, unknown>;

interface ActionsProps {
  chat: ChatView;
  rtm: RtmClient;
  configuration: WebClient;
  onFailure(message: string): void;
  /** The chat changed in a way no push tells its agent (tags): read it again. */
  onChanged(): void;
}

/**
 * Who can take the chat (online, least loaded first), named from the configuration; read again
 * when the agent goes to the list (`reload`), as colleagues come and go.
 */
function useTransferTargets({ chat, rtm, configuration }: ActionsProps) {
  const [targets, setTargets] = useState<{ id: string; label: string }[]>([]);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!chat.active) return;
    Promise.all([
      rtm.request('list_agents_for_transfer', { chat_id: chat.id }),
      configuration.call('list_agents', {}).catch(() => []),
    ]).then(
      ([candidates, agents]) => {
        const names = new Map(
          (agents as unknown as Json[]).map((agent) => [agent.id, String(agent.name)]),
        );
        const list = candidates as unknown as { agent_id: string; total_active_chats: number }[];
        setTargets(
          list.map(({ agent_id, total_active_chats }) => ({
            id: agent_id,
            label: `${names.get(agent_id) ?? agent_id} (${total_active_chats} chats)`,
          })),
        );
      },
      () => setTargets([]),
    );
  }, [chat.id, chat.active, rtm, configuration, generation]);
  return { targets, reload: () => setGeneration((value) => value + 1) };
}

/** Transfer, tag and close: what an agent does to a chat besides writing. */
export function ChatActions(props: ActionsProps) {
  const { chat, rtm, configuration, onFailure, onChanged } = props;
  const { targets, reload } = useTransferTargets(props);
  const [target, setTarget] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [tag, setTag] = useState('');
  useEffect(() => {
    configuration.call('list_tags', {}).then(
      (listed) => setTags((listed as unknown as Json[]).map((entry) => String(entry.name))),
      () => setTags([]),
    );
  }, [configuration]);

  const run = (work: () => Promise<unknown>) => () => {
    work().catch((error: Error) => onFailure(error.message));
  };
  const transfer = run(() =>
    rtm.request('transfer_chat', { id: chat.id, target: { type: 'agent', ids: [target] } }),
  );
  const tagThread = run(async () => {
    await rtm.request('tag_thread', { chat_id: chat.id, thread_id: chat.threadId, tag });
    setTag('');
    onChanged();
  });
  const close = run(() => rtm.request('deactivate_chat', { id: chat.id }));

  return (
    <section class="chat-actions" aria-label="Chat actions">
      <div class="action">
        <label for="transfer-target">Transfer to</label>
        <select
          id="transfer-target"
          value={target}
          disabled={!chat.active}
          onFocus={reload}
          onChange={(event) => setTarget(event.currentTarget.value)}
        >
          <option value="">Choose an agent</option>
          {targets.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label}
            </option>
          ))}
        </select>
        <button type="button" class="secondary" disabled={!target} onClick={transfer}>
          Transfer
        </button>
      </div>
      <div class="action">
        <label for="tag-name">Tag</label>
        <input
          id="tag-name"
          list="known-tags"
          value={tag}
          onInput={(event) => setTag(event.currentTarget.value)}
        />
        <datalist id="known-tags">
          {tags.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <button
          type="button"
          class="secondary"
          disabled={!tag || !chat.threadId}
          onClick={tagThread}
        >
          Add tag
        </button>
      </div>
      {chat.tags.length > 0 && (
        <ul class="tags" aria-label="Tags of this thread">
          {chat.tags.map((name) => (
            <li key={name}>{name}</li>
          ))}
        </ul>
      )}
      <button type="button" class="danger" disabled={!chat.active} onClick={close}>
        Close chat
      </button>
    </section>
  );
}
