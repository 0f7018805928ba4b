/** A step of the search: the rate offered and whether the platform held it. */
export interface Tried {
  rate: number;
  held: boolean;
}

export interface RateSearch {
  /** The first rate offered, events/s. */
  startRate: number;
  /** Each rate after one that held is this many times the last. */
  factor: number;
  /** At most this many steps in all. */
  maxSteps: number;
  /** Never above this rate. */
  maxRate: number;
}

/**
 * The next rate to offer, or undefined when the search is over: up by `factor` while every rate
 * holds; after the first that does not, once more halfway between it and the highest that held
 * (the answer is then within a quarter of the true edge for a factor of 1.5); down by `factor`
 * while nothing has held yet. A rate that held above one that failed (noise) ends the search too:
 * the highest that held is the answer.
 */
export function nextRate(search: RateSearch, tried: readonly Tried[]): number | undefined {
  if (tried.length === 0) return search.startRate;
  if (tried.length >= search.maxSteps) return undefined;
  const held = tried.filter((step) => step.held).map((step) => step.rate);
  const failed = tried.filter((step) => !step.held).map((step) => step.rate);
  const last = tried.at(-1)!;
  if (failed.length === 0) {
    const next = Math.min(search.maxRate, Math.round(last.rate * search.factor));
    return next > last.rate ? next : undefined;
  }
  if (held.length === 0) {
    const next = Math.round(last.rate / search.factor);
    return next >= 1 && next < last.rate ? next : undefined;
  }
  if (failed.length > 1 || last.held) return undefined;
  const midpoint = Math.round((Math.max(...held) + last.rate) / 2);
  return midpoint > Math.max(...held) && midpoint < last.rate ? midpoint : undefined;
}

/** The highest rate that held, if any. */
export function sustainedRate(tried: readonly Tried[]): number | undefined {
  const held = tried.filter((step) => step.held).map((step) => step.rate);
  return held.length > 0 ? Math.max(...held) : undefined;
}
