/** What RtmClient needs of a websocket, whichever platform provides it. */
export interface RtmSocket {
  send(text: string): void;
  close(): void;
  /** Cuts the connection without a closing handshake where the platform allows it (Node). */
  terminate(): void;
  readonly isOpen: boolean;
}

/** Where a socket's frames and end go; attached before it opens, so no early push is lost. */
export interface RtmSocketHandlers {
  /** The upgrade request's extra headers, where the platform can send them (Node). */
  headers?: Record<string, string> | undefined;
  onText(text: string): void;
  onClose(code: number, reason: string): void;
}

/** Opens a socket; `opened` rejects when the connection cannot be established. */
export type OpenRtmSocket = (
  url: URL,
  handlers: RtmSocketHandlers,
) => { socket: RtmSocket; opened: Promise<void> };
