import type { Api } from '@threadline/protocol';
import { parseFilePath } from './files.ts';

/** What an incoming URL asks for; pure, so every shape LiveChat clients use is tested in one place. */
export type Route =
  | { kind: 'web_api'; api: Api; version: string | undefined; action: string }
  | {
      kind: 'rtm';
      api: 'agent' | 'customer';
      version: string | undefined;
      /** `sockjs`: SockJS framing over the websocket (`…/rtm/sjs/<server>/<session>/websocket`). */
      transport: 'websocket' | 'sockjs';
    }
  | {
      kind: 'sockjs';
      api: 'agent' | 'customer';
      /** SockJS's own HTTP resources; only its websocket transport is served. */
      resource: 'greeting' | 'info' | 'unsupported';
    }
  | { kind: 'customer_token'; organizationId: string | undefined; groupId: number | undefined }
  | { kind: 'identity_transfer' }
  | { kind: 'file'; organizationId: string; fileId: string }
  | { kind: 'health'; probe: 'healthz' | 'readyz' | 'metrics' }
  /** The reference pages (`WEB_PAGES_DIR`): the widget, the agent console and their files. */
  | { kind: 'page'; path: string }
  | { kind: 'unknown' };

const webApiPath = /^\/(?:v([^/]+)\/)?(agent|customer|configuration)\/action\/([^/]+)\/?$/;
const rtmPath = /^\/(?:v([^/]+)\/)?(agent|customer)\/rtm\/ws\/?$/;
/** `…/rtm/sjs` plus SockJS's own suffix: `/info`, `/<server>/<session>/websocket`, `/websocket`. */
const sockJsPath = /^\/(?:v([^/]+)\/)?(agent|customer)\/rtm\/sjs(\/.*)?$/;
const sockJsSessionPath = /^\/[^/.]+\/[^/.]+\/websocket\/?$/;
const pagePath = /^\/(widget|console|assets)(\/.*)?$/;
const groupTokenPath = /^\/v2\/customer\/([^/]+)\/(\d{1,9})\/token\/?$/;

export function parseRoute(pathname: string): Route {
  const web = webApiPath.exec(pathname);
  if (web) {
    return { kind: 'web_api', api: web[2] as Api, version: web[1], action: decode(web[3]!) };
  }
  const rtm = rtmPath.exec(pathname);
  if (rtm) {
    return {
      kind: 'rtm',
      api: rtm[2] as 'agent' | 'customer',
      version: rtm[1],
      transport: 'websocket',
    };
  }
  const sockJs = sockJsPath.exec(pathname);
  if (sockJs) return sockJsRoute(sockJs[2] as 'agent' | 'customer', sockJs[1], sockJs[3] ?? '');
  if (pathname === '/v2/customer/token' || pathname === '/v2/customer/token/') {
    return { kind: 'customer_token', organizationId: undefined, groupId: undefined };
  }
  const groupToken = groupTokenPath.exec(pathname);
  if (groupToken) {
    return {
      kind: 'customer_token',
      organizationId: decode(groupToken[1]!),
      groupId: Number(groupToken[2]),
    };
  }
  if (pathname === '/v2/customer/identity_transfer') return { kind: 'identity_transfer' };
  const file = parseFilePath(pathname);
  if (file) return { kind: 'file', ...file };
  if (pathname === '/healthz' || pathname === '/readyz' || pathname === '/metrics') {
    return { kind: 'health', probe: pathname.slice(1) as 'healthz' | 'readyz' | 'metrics' };
  }
  if (pagePath.test(pathname)) return { kind: 'page', path: pathname };
  return { kind: 'unknown' };
}

/**
 * SockJS clients first read `<base>/info`, then open `<base>/<server>/<session>/websocket`; the raw
 * `<base>/websocket` is a plain websocket (SockJS's endpoint for clients without its framing).
 */
function sockJsRoute(api: 'agent' | 'customer', version: string | undefined, rest: string): Route {
  if (rest === '' || rest === '/') return { kind: 'sockjs', api, resource: 'greeting' };
  if (rest === '/info' || rest === '/info/') return { kind: 'sockjs', api, resource: 'info' };
  if (rest === '/websocket' || rest === '/websocket/') {
    return { kind: 'rtm', api, version, transport: 'websocket' };
  }
  if (sockJsSessionPath.test(rest)) return { kind: 'rtm', api, version, transport: 'sockjs' };
  return { kind: 'sockjs', api, resource: 'unsupported' };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
