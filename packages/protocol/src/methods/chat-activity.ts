import { archiveMethods } from './archives.ts';
import { chatPropertyMethods } from './chat-properties.ts';
import { eventActionMethods } from './event-actions.ts';
import { indicatorMethods } from './indicators.ts';
import { participantMethods } from './participants.ts';
import { threadActionMethods } from './thread-actions.ts';

/** Everything chat-store answers beyond starting, reading and closing chats, by area. */
export const chatActivityMethods = {
  ...participantMethods,
  ...chatPropertyMethods,
  ...indicatorMethods,
  ...eventActionMethods,
  ...threadActionMethods,
  ...archiveMethods,
};
