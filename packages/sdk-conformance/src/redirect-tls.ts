import net from 'node:net';
import tls from 'node:tls';

/** LiveChat's API hosts, which the SDKs have hard-coded with TLS (`https://`, `wss://`). */
const liveChatHost = /(^|\.)livechatinc\.com$/i;

type TlsConnect = typeof tls.connect;

/**
 * Points every TLS connection Node opens to `*.livechatinc.com` at a plain-TCP Threadline gateway
 * instead: the SDK keeps speaking `https`/`wss` in its own code, the bytes are plain HTTP. This is
 * how lc-sdk-js (axios, ws) and chat-sdk (sockjs-client over http/https and faye-websocket) are
 * redirected without touching their code. Any other host is refused, so a test can never reach
 * the real LiveChat. Returns the function that restores `tls.connect`.
 */
export function redirectLiveChatTls(target: URL): () => void {
  const original = tls.connect;
  const port = Number(target.port || 80);
  const patched = ((...args: unknown[]) => {
    const { host, callback } = readConnectArguments(args);
    if (!liveChatHost.test(host)) {
      throw new Error(`conformance tests may only reach LiveChat hosts (redirected), not ${host}`);
    }
    const socket = net.connect({ host: target.hostname, port });
    // TLS callers wait for `secureConnect`; a plain socket is "secure" as soon as it connects.
    socket.once('connect', () => socket.emit('secureConnect'));
    if (callback) socket.once('secureConnect', callback);
    return socket as unknown as tls.TLSSocket;
  }) as TlsConnect;
  tls.connect = patched;
  return () => {
    tls.connect = original;
  };
}

/** `tls.connect(options[, cb])`, `tls.connect(port[, host][, options][, cb])`. */
function readConnectArguments(args: unknown[]): { host: string; callback?: () => void } {
  const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
  const options = args.find((arg) => typeof arg === 'object' && arg !== null) as
    | { host?: string; servername?: string }
    | undefined;
  const hostArgument = typeof args[1] === 'string' ? args[1] : undefined;
  const host = options?.servername || options?.host || hostArgument || 'localhost';
  return callback ? { host, callback } : { host };
}
