/**
 * How deep a request's JSON may nest. LiveChat's payloads go a few levels deep (a rich message's
 * buttons, property namespaces, filters); 64 leaves room for any client's free-form content. The
 * limit is what keeps the gateway working: JSON.parse reads any depth, but JSON.stringify and
 * structuredClone overflow the stack at a few thousand levels, which would fail the request as
 * `internal` wherever the payload is next encoded (the command to a service, a push, a log line).
 */
export const maxNestingDepth = 64;

/**
 * Why a parsed request (RTM frame or Web body) is refused before any method sees it, or undefined
 * when it is fine: nested deeper than the limit, or a string (value or key) that is not text
 * Postgres can store: U+0000, or a lone surrogate (JSON's `\ud800` escape), which text and jsonb
 * columns reject, failing the write as `internal`. Iterative, so any depth is safe to ask about.
 */
export function requestJsonProblem(value: unknown): string | undefined {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node === 'string') {
      if (!isStorableText(node)) return badText;
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= maxNestingDepth) return tooDeep;
    for (const [key, child] of Object.entries(node)) {
      if (!isStorableText(key)) return badText;
      pending.push([child, depth + 1]);
    }
  }
  return undefined;
}

const tooDeep = `Wrong format of request: nested deeper than ${maxNestingDepth} levels`;
const badText = 'Wrong format of request: text must be valid Unicode without U+0000';

/** U+0000, a high surrogate without its low one, or a low one without its high one. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what it looks for
const unstorable = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function isStorableText(text: string): boolean {
  return !unstorable.test(text);
}
