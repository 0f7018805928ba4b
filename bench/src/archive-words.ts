/**
 * Message texts for the archive search benchmark: words drawn by Zipf's law (the frequency of
 * the word of rank r ∝ 1/r, as in natural language) from a vocabulary whose first words are
 * those of support chats and the rest made-up words, each distinct.
 */
const chatWords = `the to i you and a is my it for can order please help with of this on not
have be that your we are me in do account thanks hi hello what how when there just but was
will get so if at no an would any payment refund yes now need our they all one here from did
know see ok check email can't don't time like still sent back card number delivery return
product price shipping password login issue problem today tomorrow week again also could
update address invoice plan subscription cancel change trial discount code support team link
page app error working works received package tracking size color store website`
  .split(/\s+/)
  .filter(Boolean);

const syllables =
  'ka lo mi ne ru sa te vi zo ba de fi gu ho ja ke li mo nu pa qe ri so tu va we xi yo za bu'.split(
    ' ',
  );

export const vocabularySize = 20_000;

/**
 * The word of a rank (1-based): a chat word, then made-up words of three or more syllables
 * (the digits of a number in base 30, so no two are alike and none is a chat word).
 */
export function wordAt(rank: number): string {
  if (rank <= chatWords.length) return chatWords[rank - 1] as string;
  let code = rank - chatWords.length + syllables.length ** 2;
  let word = '';
  while (code > 0) {
    word += syllables[code % syllables.length];
    code = Math.floor(code / syllables.length);
  }
  return word;
}

/** A seeded pseudo-random generator (mulberry32), so every run seeds the same texts. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const cumulative = (() => {
  const weights = Array.from({ length: vocabularySize }, (_, index) => 1 / (index + 1));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let running = 0;
  return weights.map((weight) => {
    running += weight / total;
    return running;
  });
})();

function zipfRank(random: () => number): number {
  const target = random();
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((cumulative[middle] as number) < target) low = middle + 1;
    else high = middle;
  }
  return low + 1;
}

/** A message of 3 to 15 words. */
export function sentence(random: () => number): string {
  const length = 3 + Math.floor(random() * 13);
  return Array.from({ length }, () => wordAt(zipfRank(random))).join(' ');
}
