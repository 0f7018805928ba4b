import { ProtocolError } from '@threadline/protocol';
import { expect } from 'vitest';
import type { ChatCommand } from '../chat.commands.ts';
import { decide } from '../chat.decide.ts';
import { fold } from '../chat.evolve.ts';
import type { ChatDomainEvent, ChatState } from '../chat.types.ts';

/**
 * Given/when/then for the chat decider: `given` past events, `when` a command, `then` the events it
 * decides (or `thenFails` with a protocol error type). No mocks: only decide and evolve.
 */
export function given(...history: ChatDomainEvent[][]) {
  const state: ChatState = fold(history.flat());
  return {
    state,
    when(command: ChatCommand) {
      const decision = decide(command, state);
      return {
        decision,
        thenDecides(expected: (events: ChatDomainEvent[]) => void) {
          if (decision instanceof ProtocolError) {
            throw new Error(`expected events, got ${decision.type}: ${decision.message}`);
          }
          expected(decision);
          return decision;
        },
        thenFails(type: ProtocolError['type'], message?: RegExp) {
          expect(decision).toBeInstanceOf(ProtocolError);
          const error = decision as ProtocolError;
          expect(error.type).toBe(type);
          if (message) expect(error.message).toMatch(message);
        },
      };
    },
  };
}

/** The events a successful command decides, for use as history in the next step. */
export function eventsOf(state: ChatState, command: ChatCommand): ChatDomainEvent[] {
  const decision = decide(command, state);
  if (decision instanceof ProtocolError) throw decision;
  return decision;
}
