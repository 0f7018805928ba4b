import type { ChatEvent, ChatUser } from '@threadline/protocol';

/**
 * A simple extractive summary of a thread, in the shape LiveChat's summaries have (one bullet
 * per line): the customer's first meaningful sentence (what they came for), then the thread's most
 * representative sentences by word frequency, in the order they were written. Undefined when the
 * thread has no message to summarize.
 */
export function summarizeThread(
  events: readonly ChatEvent[],
  users: readonly ChatUser[],
  maxBullets = 3,
): string | undefined {
  const written = sentencesOf(events, users);
  // Greetings and thanks carry no content words; they only stand when nothing else was said.
  const meaningful = written.filter((sentence) => sentence.words.length > 0);
  const sentences = meaningful.length ? meaningful : written;
  if (sentences.length === 0) return undefined;
  const frequencies = wordFrequencies(sentences);
  const opening = sentences.find((sentence) => sentence.role === 'Customer');
  const ranked = sentences
    .filter((sentence) => sentence !== opening)
    .map((sentence) => ({ sentence, score: scoreOf(sentence, frequencies) }))
    .sort((a, b) => b.score - a.score || a.sentence.position - b.sentence.position)
    .slice(0, opening ? maxBullets - 1 : maxBullets)
    .map(({ sentence }) => sentence);
  return [...(opening ? [opening] : []), ...ranked]
    .sort((a, b) => a.position - b.position)
    .map((sentence) => `• ${sentence.role}: ${truncate(sentence.text, 200)}`)
    .join('  \n');
}

interface Sentence {
  text: string;
  role: 'Customer' | 'Agent';
  words: string[];
  position: number;
}

function sentencesOf(events: readonly ChatEvent[], users: readonly ChatUser[]): Sentence[] {
  const customers = new Set(
    users.filter((user) => user.type === 'customer').map((user) => user.id),
  );
  const sentences: Sentence[] = [];
  for (const event of events) {
    if (event.type !== 'message' || event.deleted || typeof event.text !== 'string') continue;
    const role = customers.has(String(event.author_id)) ? 'Customer' : 'Agent';
    for (const text of event.text.split(/(?<=[.!?])\s+|\n+/)) {
      const trimmed = text.trim();
      if (trimmed) {
        sentences.push({
          text: trimmed,
          role,
          words: wordsOf(trimmed),
          position: sentences.length,
        });
      }
    }
  }
  return sentences;
}

const stopWords = new Set(
  "the and for are but not you your yours with this that have has had was were will would can could should what when where which who how all any our out its it's i'm don't from into they them their there then than just also about been being please thanks thank hello hi hey".split(
    ' ',
  ),
);

function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []).filter(
    (word) => word.length > 2 && !stopWords.has(word),
  );
}

function wordFrequencies(sentences: readonly Sentence[]): Map<string, number> {
  const frequencies = new Map<string, number>();
  for (const word of sentences.flatMap((sentence) => sentence.words)) {
    frequencies.set(word, (frequencies.get(word) ?? 0) + 1);
  }
  return frequencies;
}

/** Average frequency of a sentence's content words: long sentences are not favoured. */
function scoreOf(sentence: Sentence, frequencies: Map<string, number>): number {
  if (sentence.words.length === 0) return 0;
  const total = sentence.words.reduce((sum, word) => sum + (frequencies.get(word) ?? 0), 0);
  return total / sentence.words.length;
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
