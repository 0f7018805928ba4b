import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import {
  closeFrame,
  heartbeatFrame,
  messageFrame,
  openFrame,
  readClientFrame,
} from '../../domain/sockjs-frames.ts';
import type { RtmSocket } from '../ws/rtm-socket.ts';

/**
 * A SockJS session over its websocket transport, seen by the RTM connection as a plain socket:
 * each message inside a client frame arrives as one RTM frame, each RTM frame leaves as `a[…]`.
 * A client frame that is not SockJS's array of strings is handed on whole, so the RTM layer
 * answers it with a `validation` failure as it would any malformed frame.
 */
export class SockJsSocket extends EventEmitter implements RtmSocket {
  constructor(private readonly socket: WebSocket) {
    super();
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('close', () => this.emit('close'));
    socket.on('pong', () => this.emit('pong'));
    socket.on('ping', () => this.emit('ping'));
    socket.on('error', () => this.emit('error'));
    socket.send(openFrame);
  }

  get readyState(): number {
    return this.socket.readyState;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  send(text: string): void {
    this.socket.send(messageFrame([text]));
  }

  /** SockJS announces the close in a frame of its own before the websocket closes. */
  close(code = 1000, reason = ''): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(closeFrame(code, reason));
    this.socket.close(code, reason);
  }

  terminate(): void {
    this.socket.terminate();
  }

  /**
   * A SockJS heartbeat and a websocket ping: SockJS clients (LiveChat's platform-client) answer
   * `h` with an RTM `ping`, others answer the control frame.
   */
  ping(): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(heartbeatFrame);
    this.socket.ping();
  }

  private receive(data: WebSocket.RawData, isBinary: boolean): void {
    if (isBinary) {
      this.emit('message', data, true);
      return;
    }
    const text = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data).toString('utf8');
    const messages = readClientFrame(text);
    if (messages === undefined) {
      this.emit('message', Buffer.from(text), false);
      return;
    }
    for (const message of messages) this.emit('message', Buffer.from(message), false);
  }
}
