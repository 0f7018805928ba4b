/**
 * How deep a request's JSON may nest. LiveChat's payloads go a few levels deep (a rich message's
 * buttons, property namespaces, filters); 64 leaves room for any client's free-form content. The
 * limit is what keeps the gateway working: JSON.parse reads any depth, but JSON.stringify and
 * structuredClone overflow the stack at a few thousand levels, which would fail the request as
 * `internal` wherever the payload is next encoded (the command to a service, a push, a log line).
 */
export const maxNestingDepth = 64;

export const tooDeep = `Wrong format of request: nested deeper than ${maxNestingDepth} levels`;

/** Whether a parsed JSON value nests deeper than `maxDepth` (iterative: any depth is safe to ask). */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}
