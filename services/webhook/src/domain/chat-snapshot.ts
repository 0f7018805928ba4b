import type { Properties, UserType } from '@threadline/protocol';

/**
 * What the webhook service remembers of a chat, learnt from the notifications that flow past it:
 * its properties (for `only_my_chats` and `additional_data.chat_properties`) and its users' types
 * (for `author_type`). Notifications other than `incoming_chat` do not carry these, so the snapshot
 * fills the gap; it never reads chat-store's tables.
 */
export interface ChatSnapshot {
  /** Aggregate version of the newest batch whose properties are reflected. */
  version: number;
  properties: Properties | undefined;
  userTypes: Record<string, UserType>;
}

/** A notification as the domain sees it: the payload parsed, nothing protobuf about it. */
export interface ChatNotification {
  action: string;
  payload: Record<string, unknown>;
  recipientUserIds: string[];
}

const snapshotActions = new Set([
  'incoming_chat',
  'user_added_to_chat',
  'chat_properties_updated',
  'chat_properties_deleted',
]);

/** Whether a notification of this action can change a chat's snapshot. */
export function affectsSnapshot(action: string): boolean {
  return snapshotActions.has(action);
}

/**
 * Folds one batch's notifications into the snapshot. Batches may arrive out of order (replicas
 * share the consumer), so user types, which never change, are always merged, while properties are
 * replaced only by a newer batch, or filled in when still unknown.
 */
export function evolveChatSnapshot(
  snapshot: ChatSnapshot | undefined,
  batch: { version: number; notifications: readonly ChatNotification[] },
): ChatSnapshot | undefined {
  let next = snapshot;
  for (const notification of batch.notifications) {
    next = applyNotification(next, batch.version, notification);
  }
  return next;
}

function applyNotification(
  snapshot: ChatSnapshot | undefined,
  version: number,
  notification: ChatNotification,
): ChatSnapshot | undefined {
  const { payload } = notification;
  switch (notification.action) {
    case 'incoming_chat': {
      const chat = asRecord(payload.chat);
      if (!chat) return snapshot;
      const withUsers = addUserTypes(snapshot, version, usersOf(chat.users));
      const properties = asRecord(chat.properties) as Properties | undefined;
      return properties ? setProperties(withUsers, version, () => properties) : withUsers;
    }
    case 'user_added_to_chat': {
      const user = asRecord(payload.user);
      return user ? addUserTypes(snapshot, version, usersOf([user])) : snapshot;
    }
    case 'chat_properties_updated':
      return setProperties(snapshot, version, (current) =>
        mergeProperties(current, asRecord(payload.properties) as Properties | undefined),
      );
    case 'chat_properties_deleted':
      return setProperties(snapshot, version, (current) =>
        deleteProperties(current, asRecord(payload.properties)),
      );
    default:
      return snapshot;
  }
}

function addUserTypes(
  snapshot: ChatSnapshot | undefined,
  version: number,
  users: Record<string, UserType>,
): ChatSnapshot {
  const base = snapshot ?? { version, properties: undefined, userTypes: {} };
  return { ...base, userTypes: { ...base.userTypes, ...users } };
}

function setProperties(
  snapshot: ChatSnapshot | undefined,
  version: number,
  change: (current: Properties) => Properties,
): ChatSnapshot {
  const base = snapshot ?? { version, properties: undefined, userTypes: {} };
  if (base.properties !== undefined && version < base.version) return base;
  return {
    ...base,
    version: Math.max(version, base.version),
    properties: change(base.properties ?? {}),
  };
}

function mergeProperties(current: Properties, update: Properties | undefined): Properties {
  const merged: Properties = { ...current };
  for (const [namespace, values] of Object.entries(update ?? {})) {
    merged[namespace] = { ...merged[namespace], ...values };
  }
  return merged;
}

/** `chat_properties_deleted` names the deleted keys per namespace: `{ns: ["key", …]}`. */
function deleteProperties(
  current: Properties,
  deleted: Record<string, unknown> | undefined,
): Properties {
  const remaining: Properties = { ...current };
  for (const [namespace, keys] of Object.entries(deleted ?? {})) {
    if (!remaining[namespace] || !Array.isArray(keys)) continue;
    const values = { ...remaining[namespace] };
    for (const key of keys) delete values[String(key)];
    remaining[namespace] = values;
  }
  return remaining;
}

function usersOf(users: unknown): Record<string, UserType> {
  const types: Record<string, UserType> = {};
  if (!Array.isArray(users)) return types;
  for (const user of users) {
    const record = asRecord(user);
    const type = record?.type ?? record?.user_type;
    if (typeof record?.id === 'string' && (type === 'agent' || type === 'customer')) {
      types[record.id] = type;
    }
  }
  return types;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
