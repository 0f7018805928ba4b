import type { RtmClient, WebClient } from '@threadline/sdk/browser';
import { useEffect, useState } from 'preact/hooks';
import type { ChatView } from '../shared/timeline.ts';
import {
  agentTargets,
  groupTargets,
  type TransferTarget,
  transferFailure,
  transferTarget,
} from './transfer.ts';

type Json = Record<string, unknown>;

interface ActionsProps {
  chat: ChatView;
  rtm: RtmClient;
  configuration: WebClient;
  onFailure(message: string): void;
  /** An action went through: a failure shown earlier no longer holds. */
  onSuccess(): void;
  /** The chat changed in a way no push tells its agent (tags): read it again. */
  onChanged(): void;
}

/**
 * Who can take the chat: online agents (least loaded first, named from the configuration) and
 * the groups with their status; read again when the agent goes to the list (`reload`), as
 * colleagues come and go.
 */
function useTransferTargets({ chat, rtm, configuration }: ActionsProps) {
  const [targets, setTargets] = useState<{ agents: TransferTarget[]; groups: TransferTarget[] }>({
    agents: [],
    groups: [],
  });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!chat.active) return;
    Promise.all([
      rtm.request('list_agents_for_transfer', { chat_id: chat.id }),
      configuration.call('list_agents', {}).catch(() => []),
      configuration.call('list_groups', { fields: ['routing_status'] }).catch(() => []),
    ]).then(
      ([candidates, agents, groups]) =>
        setTargets({
          agents: agentTargets(
            candidates as unknown as { agent_id: string; total_active_chats: number }[],
            agents as unknown as Json[],
          ),
          groups: groupTargets(groups as unknown as Json[]),
        }),
      () => setTargets({ agents: [], groups: [] }),
    );
  }, [chat.id, chat.active, rtm, configuration, generation]);
  return { targets, reload: () => setGeneration((value) => value + 1) };
}

function TargetOptions(props: { label: string; targets: TransferTarget[] }) {
  if (props.targets.length === 0) return null;
  return (
    <optgroup label={props.label}>
      {props.targets.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </optgroup>
  );
}

/** Transfer, tag and close: what an agent does to a chat besides writing. */
export function ChatActions(props: ActionsProps) {
  const { chat, rtm, configuration, onFailure, onSuccess, onChanged } = props;
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

  const run =
    (work: () => Promise<unknown>, failure = (error: Error) => error.message) =>
    () => {
      work().then(onSuccess, (error: Error) => onFailure(failure(error)));
    };
  const transfer = run(async () => {
    await rtm.request('transfer_chat', { id: chat.id, target: transferTarget(target) });
    setTarget('');
  }, transferFailure);
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
          <option value="">Choose an agent or a group</option>
          <TargetOptions label="Agents" targets={targets.agents} />
          <TargetOptions label="Groups" targets={targets.groups} />
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
