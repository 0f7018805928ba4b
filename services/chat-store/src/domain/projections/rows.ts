import type {
  Access,
  ChatEvent,
  ChatUser,
  LastEventOfType,
  Properties,
} from '@threadline/protocol';
import type { ThreadSummaryText } from '../chat.types.ts';

/** The last event of each type, with the order of its thread (customer summaries show it). */
export type LastEventEntry = LastEventOfType & { thread_order: number };

/** A chat as the read side keeps it: one row per chat, at the version of the last applied batch. */
export interface ChatRow {
  organizationId: string;
  id: string;
  version: number;
  properties: Properties;
  access: Access;
  users: ChatUser[];
  /** Agents following the chat (`is_followed` in their views). */
  followerIds: string[];
  /** The chat's customer; a chat has at most one. */
  customerId?: string;
  active: boolean;
  createdAt: string;
  lastThreadId?: string;
  lastThreadCreatedAt?: string;
  threadCount: number;
  /** Agent view: every event. */
  lastEventPerType: Record<string, LastEventEntry>;
  /** Customer view: `all`-visibility events only. */
  customerLastEventPerType: Record<string, LastEventEntry>;
}

export interface ThreadRow {
  organizationId: string;
  chatId: string;
  id: string;
  /** 1 for the chat's first thread, then +1: the order lists and page cursors use. */
  order: number;
  active: boolean;
  createdAt: string;
  properties: Properties;
  access: Access;
  userIds: string[];
  tags: string[];
  summary?: ThreadSummaryText;
  previousThreadId?: string;
  nextThreadId?: string;
  eventsCount: number;
}

export interface EventRow {
  organizationId: string;
  chatId: string;
  threadId: string;
  id: string;
  /** Position in its thread, from 1. */
  order: number;
  createdAt: string;
  visibility: ChatEvent['visibility'];
  deleted: boolean;
  event: ChatEvent;
}
