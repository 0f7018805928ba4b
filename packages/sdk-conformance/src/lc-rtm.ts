/**
 * Stops an lc-sdk-js 4.0.2 RTM client: it pings every 10 s and has no disconnect, and a ping on a
 * closed socket is an unhandled rejection (fixed upstream in v6), so tests stop both themselves.
 */
export function closeLcRtm(rtm: object | undefined): void {
  const internals = rtm as { heartbeatInterval?: NodeJS.Timeout; socket?: { close(): void } };
  clearInterval(internals?.heartbeatInterval);
  internals?.socket?.close();
}
