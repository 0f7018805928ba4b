/** Order statistics of a sample of durations in milliseconds. */
export function summarize(samples: number[]): {
  count: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
} {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (quantile: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? Number.NaN;
  return {
    count: sorted.length,
    median: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export function formatSummary(name: string, samples: number[]): string {
  const { count, median, p95, p99, max } = summarize(samples);
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  return `${name.padEnd(44)} n=${count}  median ${ms(median)}  p95 ${ms(p95)}  p99 ${ms(p99)}  max ${ms(max)}`;
}
