import { generalGroupId, isInChatGroups, type WaitingChat } from './routing.decide.ts';
import type { RoutingSettings } from './routing-settings.ts';

/**
 * The queue as customers and agents see it (spec §4.1 `queue_positions_updated`, §4.2
 * `queue_position_updated`, §5.2 `thread.queue`): each waiting thread's position and an estimate
 * of its wait in seconds.
 *
 * Position counts the threads ahead that compete for the same agents: queued earlier, with a
 * group in common (group 0 competes with everyone, since any agent may take it). A chat of
 * group 5 is not behind a chat only group 7 can take.
 */
export interface QueuePlace {
  position: number;
  /** Seconds, estimated. */
  waitTime: number;
  /** Epoch milliseconds. */
  queuedAt: number;
}

/** How threads left the queue recently: the pace an estimate is made from. */
export interface QueueDeparture {
  leftAt: number;
  waitedMs: number;
}

/** The window of departures an estimate looks at. */
export const departureWindowMs = 60 * 60 * 1000;
/**
 * With fewer departures than this in the window, the pace is unknown: each place ahead counts as
 * a minute, about the time one agent takes to greet a customer and free up attention.
 */
const minimumDepartures = 2;
const defaultSecondsPerPlace = 60;

export function queuePlaces(
  waiting: readonly WaitingChat[],
  departures: readonly QueueDeparture[],
  now: number,
): Map<string, QueuePlace> {
  const ordered = [...waiting].sort(
    (a, b) => a.queuedAt - b.queuedAt || compare(a.chatId, b.chatId),
  );
  const perPlace = secondsPerPlace(departures, now);
  const places = new Map<string, QueuePlace>();
  ordered.forEach((chat, index) => {
    const ahead = ordered.slice(0, index).filter((other) => competes(other, chat)).length;
    const position = ahead + 1;
    places.set(chat.chatId, {
      position,
      waitTime: Math.round(position * perPlace),
      queuedAt: chat.queuedAt,
    });
  });
  return places;
}

/**
 * Seconds per place ahead: the window's length divided by how many threads left the queue in
 * it (its pace), or a minute when too few left to tell.
 */
export function secondsPerPlace(departures: readonly QueueDeparture[], now: number): number {
  const recent = departures.filter((departure) => now - departure.leftAt <= departureWindowMs);
  if (recent.length < minimumDepartures) return defaultSecondsPerPlace;
  const oldest = Math.min(...recent.map((departure) => departure.leftAt));
  const span = Math.max(now - oldest, 1000);
  return span / 1000 / recent.length;
}

/**
 * Whether a thread nobody can take now may wait for an agent: continuous chats (Messaging Mode)
 * always wait, delivered when someone comes; others when the queue is on and not full
 * (`queue.limit` threads of the settings' scope waiting already). Otherwise the thread closes
 * with `routing.archived_offline`.
 */
export function mayWait(
  settings: Pick<RoutingSettings, 'queue' | 'manualRouting'>,
  waitingNow: number,
  continuous: boolean,
): boolean {
  if (continuous || settings.manualRouting) return true;
  return settings.queue.enabled && waitingNow < settings.queue.limit;
}

function competes(a: Pick<WaitingChat, 'groupIds'>, b: Pick<WaitingChat, 'groupIds'>): boolean {
  const general = (groups: readonly number[]) =>
    groups.length === 0 || groups.includes(generalGroupId);
  if (general(a.groupIds) || general(b.groupIds)) return true;
  return isInChatGroups(a.groupIds, b.groupIds);
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
