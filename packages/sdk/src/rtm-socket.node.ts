import WebSocket from 'ws';
import { ThreadlineApiError } from './errors.ts';
import type { OpenRtmSocket } from './rtm-socket.ts';

/**
 * Node's socket (the `ws` package): it can cut a connection without a closing handshake, as a lost
 * network does, and tells the HTTP status of a refused upgrade.
 */
export const openRtmSocket: OpenRtmSocket = (url, handlers) => {
  const socket = new WebSocket(url, handlers.headers ? { headers: handlers.headers } : {});
  socket.on('message', (data, isBinary) => {
    if (!isBinary) handlers.onText(data.toString());
  });
  socket.on('close', (code, reason) => handlers.onClose(code, reason.toString()));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) =>
      reject(new ThreadlineApiError('connection_refused', `HTTP ${response.statusCode}`)),
    );
  });
  return {
    opened,
    socket: {
      send: (text) => socket.send(text),
      close: () => socket.close(),
      terminate: () => socket.terminate(),
      get isOpen() {
        return socket.readyState === WebSocket.OPEN;
      },
    },
  };
};
