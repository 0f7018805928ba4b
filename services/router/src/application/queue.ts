import { departureWindowMs, queuePlaces } from '../domain/queue.ts';
import type { AssignmentDeps } from './assignments.ts';

/**
 * Tells customers and agents where the organization's waiting threads stand now, after anything
 * that moves the queue (a thread joins or leaves it) and on housekeeping's clock, as estimates
 * age. Only places that changed since last told are pushed (`queue_position_updated` to the
 * customer, `queue_positions_updated` to the agents who can see the chat).
 */
export async function publishQueuePlaces(
  deps: AssignmentDeps,
  organizationId: string,
): Promise<void> {
  const now = deps.clock.now();
  const changed = await deps.store.inOrganization(organizationId, async (routing) => {
    const waiting = await routing.waitingChats();
    if (waiting.length === 0) return [];
    const departures = await routing.queueDepartures(new Date(now.getTime() - departureWindowMs));
    return routing.updateQueuePlaces(queuePlaces(waiting, departures, now.getTime()));
  });
  if (changed.length > 0) deps.pushes.queuePlacesChanged(organizationId, changed);
}
