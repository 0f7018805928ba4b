import { describe, expect, it } from 'vitest';
import { parseRoute } from './routes.ts';

describe('parseRoute', () => {
  it('reads Web API paths with and without a version', () => {
    expect(parseRoute('/v3.6/agent/action/list_chats')).toEqual({
      kind: 'web_api',
      api: 'agent',
      version: '3.6',
      action: 'list_chats',
    });
    expect(parseRoute('/configuration/action/register_webhook')).toEqual({
      kind: 'web_api',
      api: 'configuration',
      version: undefined,
      action: 'register_webhook',
    });
    expect(parseRoute('/v3.5/customer/action/start_chat/')).toMatchObject({ api: 'customer' });
  });

  it('reads the reference pages’ folders, and no look-alike', () => {
    expect(parseRoute('/widget/')).toEqual({ kind: 'page', path: '/widget/' });
    expect(parseRoute('/console')).toEqual({ kind: 'page', path: '/console' });
    expect(parseRoute('/assets/a-1.js')).toEqual({ kind: 'page', path: '/assets/a-1.js' });
    expect(parseRoute('/widgets/')).toEqual({ kind: 'unknown' });
  });

  it('reads RTM paths for agents and customers only', () => {
    expect(parseRoute('/v3.4/agent/rtm/ws')).toEqual({
      kind: 'rtm',
      api: 'agent',
      version: '3.4',
      transport: 'websocket',
    });
    expect(parseRoute('/v3.6/customer/rtm/ws')).toMatchObject({ kind: 'rtm', api: 'customer' });
    expect(parseRoute('/v3.6/configuration/rtm/ws')).toEqual({ kind: 'unknown' });
  });

  it('reads SockJS paths: info, the framed websocket, the raw websocket, and nothing else', () => {
    expect(parseRoute('/v3.4/agent/rtm/sjs/info')).toEqual({
      kind: 'sockjs',
      api: 'agent',
      resource: 'info',
    });
    expect(parseRoute('/v3.4/agent/rtm/sjs/127/zyrgla2i/websocket')).toEqual({
      kind: 'rtm',
      api: 'agent',
      version: '3.4',
      transport: 'sockjs',
    });
    expect(parseRoute('/v3.6/customer/rtm/sjs/websocket')).toEqual({
      kind: 'rtm',
      api: 'customer',
      version: '3.6',
      transport: 'websocket',
    });
    expect(parseRoute('/v3.6/agent/rtm/sjs')).toMatchObject({ resource: 'greeting' });
    expect(parseRoute('/v3.6/agent/rtm/sjs/127/abc/xhr_streaming')).toMatchObject({
      resource: 'unsupported',
    });
    expect(parseRoute('/v3.6/agent/rtm/sjs/../x/websocket')).toMatchObject({
      resource: 'unsupported',
    });
  });

  it('reads both customer token paths', () => {
    expect(parseRoute('/v2/customer/token')).toEqual({
      kind: 'customer_token',
      organizationId: undefined,
      groupId: undefined,
    });
    expect(parseRoute('/v2/customer/8d0c2b5e-0000-4000-8000-000000000000/3/token')).toEqual({
      kind: 'customer_token',
      organizationId: '8d0c2b5e-0000-4000-8000-000000000000',
      groupId: 3,
    });
    expect(parseRoute('/v2/customer/org/notanumber/token')).toEqual({ kind: 'unknown' });
  });

  it('knows the probes and nothing else', () => {
    expect(parseRoute('/readyz')).toEqual({ kind: 'health', probe: 'readyz' });
    expect(parseRoute('/')).toEqual({ kind: 'unknown' });
    expect(parseRoute('/v3.6/agent/action/')).toEqual({ kind: 'unknown' });
  });
});
