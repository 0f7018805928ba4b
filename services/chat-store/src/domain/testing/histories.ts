import { fold } from '../chat.evolve.ts';
import { eventsOf } from './decider-spec.ts';
import {
  aCustomer,
  aMessage,
  anAgent,
  assignAgent,
  deactivateChat,
  startChat,
} from './factories.ts';

/**
 * The history most decider tests start from: `customer` starts a chat (with a first message when
 * `text` is given), the router assigns `agent`; `closed` is what the agent's deactivate_chat
 * would add after that.
 */
export function anAssignedChat(
  options: {
    customer?: ReturnType<typeof aCustomer>;
    agent?: ReturnType<typeof anAgent>;
    text?: string;
  } = {},
) {
  const customer = options.customer ?? aCustomer();
  const agent = options.agent ?? anAgent();
  const payload = options.text ? { chat: { thread: { events: [aMessage(options.text)] } } } : {};
  const started = eventsOf(fold([]), startChat(customer, payload));
  const assigned = eventsOf(fold(started), assignAgent(agent));
  const closed = eventsOf(fold([...started, ...assigned]), deactivateChat(agent));
  return { customer, agent, started, assigned, closed };
}
