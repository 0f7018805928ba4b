import { ThreadlineApiError } from './errors.ts';
import type { OpenRtmSocket } from './rtm-socket.ts';

/**
 * The browser's own WebSocket. It cannot cut a connection without the closing handshake, so
 * `terminate` closes; a refused upgrade shows only as a failed open (browsers hide the status).
 */
export const openRtmSocket: OpenRtmSocket = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.addEventListener('message', (event) => {
    if (typeof event.data === 'string') handlers.onText(event.data);
  });
  socket.addEventListener('close', (event) => handlers.onClose(event.code, event.reason));
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener(
      'error',
      () => reject(new ThreadlineApiError('connection_refused', `cannot connect to ${url.host}`)),
      { once: true },
    );
  });
  return {
    opened,
    socket: {
      send: (text) => socket.send(text),
      close: () => socket.close(),
      terminate: () => socket.close(),
      get isOpen() {
        return socket.readyState === WebSocket.OPEN;
      },
    },
  };
};
