import WebSocket from 'ws';
import { CookieJar } from './cookie-jar.ts';

/** `https://api.livechatinc.com/…`, `wss://api-fra.livechatinc.com/…`, `https://accounts.labs.…` */
const liveChatOrigin = /^(?:https|wss|http|ws):\/\/[a-z0-9.-]*livechatinc\.com(?::\d+)?/i;

export interface BrowserGlobalsOptions {
  /** The Threadline gateway standing in for every LiveChat host, e.g. `http://127.0.0.1:8080`. */
  target: URL;
  /** The page the widget pretends to be on (`window.location`, `Origin`). */
  pageUrl: URL;
}

/**
 * The little of a browser LiveChat's customer SDK needs in Node, each piece pointing LiveChat's
 * hosts at the gateway: `WebSocket` (a `ws` socket with the browser's `Origin`), `XMLHttpRequest`
 * (over `fetch`, with a cookie jar for `withCredentials`, as the token request needs), `window`
 * (only `location`: no `addEventListener`, no `localStorage`, so the SDK uses memory storage) and
 * `Image` (the SDK's logging beacon, swallowed). Node 24's own `WebSocket` would connect to the
 * real LiveChat, so ours always replaces it; URLs that are not LiveChat's are refused. Returns the
 * function that restores the previous globals.
 */
export function installBrowserGlobals(options: BrowserGlobalsOptions): () => void {
  const jar = new CookieJar();
  const rewrite = (url: string | URL) => rewriteLiveChatUrl(String(url), options.target);
  const origin = options.pageUrl.origin;

  class BrowserWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(rewrite(url).replace(/^http/, 'ws'), protocols, { headers: { origin } });
    }
  }

  const globals = globalThis as Record<string, unknown>;
  const saved = Object.fromEntries(
    ['WebSocket', 'XMLHttpRequest', 'window', 'Image'].map((name) => [name, globals[name]]),
  );
  globals.WebSocket = BrowserWebSocket;
  globals.XMLHttpRequest = createXmlHttpRequest({ rewrite, jar, origin });
  globals.window = { location: new URL(options.pageUrl) };
  globals.Image = class {
    src = '';
  };
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete globals[name];
      else globals[name] = value;
    }
  };
}

export function rewriteLiveChatUrl(url: string, target: URL): string {
  if (!liveChatOrigin.test(url)) {
    throw new Error(`conformance tests may only reach LiveChat hosts (redirected), not ${url}`);
  }
  return url.replace(liveChatOrigin, target.origin);
}

type Listener = ((event: unknown) => void) | null;

/**
 * The XMLHttpRequest surface LiveChat's libraries use (unfetch in customer-auth and customer-sdk,
 * `@livechat/file-upload`): open/setRequestHeader/send/abort, `withCredentials`, the `on…`
 * handlers and `upload.onprogress`, status and response text and headers.
 */
function createXmlHttpRequest(context: {
  rewrite: (url: string) => string;
  jar: CookieJar;
  origin: string;
}) {
  return class XMLHttpRequest {
    readyState = 0;
    status = 0;
    statusText = '';
    responseURL = '';
    responseText = '';
    response: unknown = '';
    withCredentials = false;
    onload: Listener = null;
    onerror: Listener = null;
    onabort: Listener = null;
    onreadystatechange: Listener = null;
    readonly upload: { onprogress: Listener } = { onprogress: null };
    private method = 'GET';
    private url = '';
    private readonly headers: Record<string, string> = {};
    private responseHeaders = '';
    private readonly controller = new AbortController();

    open(method: string, url: string): void {
      this.method = method.toUpperCase();
      this.url = context.rewrite(url);
      this.readyState = 1;
    }

    setRequestHeader(name: string, value: string): void {
      this.headers[name.toLowerCase()] = value;
    }

    getAllResponseHeaders(): string {
      return this.responseHeaders;
    }

    abort(): void {
      this.controller.abort();
    }

    send(body?: string | FormData | null): void {
      void this.perform(body ?? undefined);
    }

    private async perform(body: string | FormData | undefined): Promise<void> {
      const headers: Record<string, string> = { origin: context.origin, ...this.headers };
      // What a browser adds to a string body when the caller sets no content type.
      if (typeof body === 'string' && !headers['content-type']) {
        headers['content-type'] = 'text/plain;charset=UTF-8';
      }
      if (this.withCredentials) {
        const cookie = context.jar.header(this.url);
        if (cookie) headers.cookie = cookie;
      }
      try {
        const response = await fetch(this.url, {
          method: this.method,
          headers,
          ...(body === undefined ? {} : { body }),
          signal: this.controller.signal,
        });
        if (this.withCredentials) context.jar.store(this.url, response.headers.getSetCookie());
        this.responseText = await response.text();
        this.response = this.responseText;
        this.status = response.status;
        this.statusText = response.statusText;
        this.responseURL = response.url;
        this.responseHeaders = [...response.headers]
          .map(([name, value]) => `${name}: ${value}`)
          .join('\r\n');
        this.readyState = 4;
        this.upload.onprogress?.({ loaded: 1, total: 1 });
        this.onreadystatechange?.({});
        this.onload?.({});
      } catch (error) {
        this.readyState = 4;
        if (this.controller.signal.aborted) this.onabort?.({});
        else this.onerror?.(error);
      }
    }
  };
}
