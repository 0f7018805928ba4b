/**
 * SockJS's framing over a websocket (the protocol of sockjs-client, which LiveChat's chat-sdk
 * uses): the server opens with `o`, sends messages as `a["…","…"]`, heartbeats as `h` and says
 * goodbye with `c[code,"reason"]`; the client sends a JSON array of message strings.
 */
export const openFrame = 'o';
export const heartbeatFrame = 'h';

export function messageFrame(messages: readonly string[]): string {
  return `a${JSON.stringify(messages)}`;
}

export function closeFrame(code: number, reason: string): string {
  return `c${JSON.stringify([code, reason])}`;
}

/**
 * The messages in a client frame: a JSON array of strings (or one JSON string, which SockJS
 * servers also accept). Anything else is undefined, and the caller decides what a broken frame
 * means.
 */
export function readClientFrame(text: string): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed === 'string') return [parsed];
  if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed;
  return undefined;
}

/** What SockJS clients read at `<base>/info` before they pick a transport. */
export function infoResponse(entropy: number): Record<string, unknown> {
  return { websocket: true, origins: ['*:*'], cookie_needed: false, entropy };
}
