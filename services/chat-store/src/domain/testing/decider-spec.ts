import { ProtocolError } from '@threadline/protocol';
import { expect } from 'vitest';
import type { ChatCommand } from '../chat.commands.ts';
import { decide } from '../chat.decide.ts';
import { fold } from '../chat.evolve.ts';
import type { ChatDomainEvent, ChatNotification, ChatState, Decision } from '../chat.types.ts';

/**
 * Given/when/then for the chat decider: `given` past events, `when` a command, `then` the events it
 * decides (or `thenFails` with a protocol error type, or `thenSignals` with the pushes of a
 * command that stores nothing). No mocks: only decide and evolve.
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
          expected(eventsIn(decision));
          return eventsIn(decision);
        },
        thenSignals(expected: (signals: ChatNotification[]) => void) {
          if (decision instanceof ProtocolError || Array.isArray(decision)) {
            throw new Error(`expected signals, got ${describe(decision)}`);
          }
          expected(decision.signals);
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
  return eventsIn(decision);
}

function eventsIn(decision: Decision): ChatDomainEvent[] {
  if (Array.isArray(decision)) return decision;
  throw new Error(`expected events, got ${describe(decision)}`);
}

function describe(decision: Decision): string {
  if (decision instanceof ProtocolError) return `${decision.type}: ${decision.message}`;
  return Array.isArray(decision) ? `${decision.length} events` : 'signals';
}
