import type WebSocket from 'ws';

/**
 * What an RTM connection needs of its socket: a `ws` WebSocket, or a SockJS session speaking
 * through one (`adapters/sockjs`), so both transports share every rule below.
 */
export interface RtmSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(text: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  ping(): void;
  on(event: 'message', listener: (data: WebSocket.RawData, isBinary: boolean) => void): this;
  on(event: 'close' | 'pong' | 'ping' | 'error', listener: () => void): this;
}

/** A text frame's content, however `ws` handed it over. */
export function textOf(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
