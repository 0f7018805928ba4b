/** What the bot does with a customer's message. */
export type BotAction = { type: 'answer'; text: string } | { type: 'hand_off'; text: string };

export const greeting =
  "Hi, I'm the Threadline helper bot. Ask me about opening hours, prices or shipping, or type 'human' to talk to a person.";

const answers: { keywords: readonly string[]; text: string }[] = [
  { keywords: ['hours', 'open'], text: "We're open Monday to Friday, 9:00 to 17:00." },
  { keywords: ['price', 'cost', 'plan'], text: 'Plans start at 10 € a month; see /pricing.' },
  { keywords: ['shipping', 'delivery', 'order'], text: 'Orders ship within two working days.' },
];

const handOffWords = ['human', 'agent', 'person', 'someone'];

/** A keyword bot: hand-off words win, then the first topic whose keyword appears. */
export function decideReply(message: string): BotAction {
  const words = message.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.some((word) => handOffWords.includes(word))) {
    return { type: 'hand_off', text: 'Let me find a person for you, one moment please.' };
  }
  const topic = answers.find((answer) =>
    answer.keywords.some((keyword) => words.some((word) => word.startsWith(keyword))),
  );
  return {
    type: 'answer',
    text: topic?.text ?? "Sorry, I didn't get that. Type 'human' to talk to a person.",
  };
}
