import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { verifySignature } from '@threadline/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { parseNetworks } from '../../domain/address-policy.ts';
import { createAddressGuard } from '../dns/address-guard.ts';
import { createWebhookSender, responsePrefixBytes } from './webhook-sender.ts';

const loopback = parseNetworks('127.0.0.0/8,::1/128').networks;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A local receiver answering every POST with `answer`; records what it got. */
async function receiver(answer: (response: ServerResponse) => void, host = '127.0.0.1') {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, received };
}

const aRequest = (url: string) => ({
  url,
  body: '{"action":"incoming_event","payload":{"text":"héllo"}}',
  deliveryId: 'a'.repeat(32),
  attempt: 3,
  secretKey: 'top-secret',
  timeoutMs: 5_000,
  action: 'incoming_event',
  traceparent: null,
});

describe('sendWebhook', () => {
  it('signs the timestamp and body and names the delivery and the attempt', async () => {
    const { port, received } = await receiver((response) => response.writeHead(204).end());
    const send = createWebhookSender({
      guard: createAddressGuard(loopback),
      now: () => 1_767_225_600_999,
    });
    const request = aRequest(`http://127.0.0.1:${port}/hook`);

    expect(await send(request)).toEqual({ type: 'delivered', status: 204, responseBodyPrefix: '' });
    const [{ headers, body }] = received as [(typeof received)[number]];
    expect(body).toBe(request.body);
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Threadline-Webhooks/1',
      'x-threadline-webhook-id': request.deliveryId,
      'x-threadline-delivery-attempt': '3',
      'x-threadline-timestamp': '1767225600',
    });
    expect(
      verifySignature({
        body,
        secretKey: 'top-secret',
        timestamp: headers['x-threadline-timestamp'] as string,
        signature: headers['x-threadline-signature'] as string,
        nowSeconds: 1_767_225_610,
      }),
    ).toEqual({ valid: true });
  });

  it('keeps only the first KiB of a 1 MB answer and does not wait for the rest', async () => {
    const huge = Buffer.alloc(1024 * 1024, 'x');
    const { port } = await receiver((response) => response.writeHead(200).end(huge));
    const send = createWebhookSender({ guard: createAddressGuard(loopback) });

    const started = performance.now();
    const outcome = await send(aRequest(`http://127.0.0.1:${port}/hook`));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(outcome).toMatchObject({ type: 'delivered', status: 200 });
    expect(Buffer.byteLength(outcome.responseBodyPrefix)).toBe(responsePrefixBytes);
    expect(outcome.responseBodyPrefix).toBe('x'.repeat(responsePrefixBytes));
  });

  it('returns a bounded prefix of an endless answer before the timeout', async () => {
    const { port } = await receiver((response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      const timer = setInterval(() => response.write('Internal error\n'.repeat(100)), 5);
      response.on('close', () => clearInterval(timer));
    });
    const send = createWebhookSender({ guard: createAddressGuard(loopback) });

    const started = performance.now();
    const outcome = await send(aRequest(`http://127.0.0.1:${port}/hook`));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(outcome).toMatchObject({ type: 'failed', status: 500, error: 'HTTP 500' });
    expect(outcome.responseBodyPrefix).toMatch(/^Internal error\n/);
    expect(Buffer.byteLength(outcome.responseBodyPrefix)).toBeLessThanOrEqual(responsePrefixBytes);
  });

  it('returns a short answer whole, with NUL replaced', async () => {
    const { port } = await receiver((response) => response.writeHead(422).end('bad\u0000input'));
    const send = createWebhookSender({ guard: createAddressGuard(loopback) });
    expect(await send(aRequest(`http://127.0.0.1:${port}/hook`))).toEqual({
      type: 'failed',
      status: 422,
      error: 'HTTP 422',
      responseBodyPrefix: 'bad\uFFFDinput',
    });
  });

  it('refuses a loopback address that is not allowed, without connecting', async () => {
    const { port, received } = await receiver((response) => response.writeHead(200).end());
    const send = createWebhookSender({ guard: createAddressGuard([]) });
    expect(await send(aRequest(`http://127.0.0.1:${port}/hook`))).toEqual({
      type: 'failed',
      error: 'address not allowed: 127.0.0.1 is loopback',
      responseBodyPrefix: '',
    });
    expect(received).toHaveLength(0);
  });

  it('does not follow a redirect, least of all to an address it may not reach', async () => {
    // The receiver is allowed (127.0.0.1 alone); the redirect points at 127.0.0.2, a loopback
    // address outside the allow list, where a second server would record anything that arrives.
    const forbidden = await receiver((response) => response.writeHead(200).end(), '127.0.0.2');
    const forbiddenUrl = `http://127.0.0.2:${forbidden.port}/latest/meta-data`;
    const send = createWebhookSender({
      guard: createAddressGuard(parseNetworks('127.0.0.1/32').networks),
    });
    for (const status of [301, 302, 303, 307, 308]) {
      const { port, received } = await receiver((response) =>
        response.writeHead(status, { location: forbiddenUrl }).end(),
      );
      expect(await send(aRequest(`http://127.0.0.1:${port}/hook`))).toEqual({
        type: 'failed',
        status,
        error: `HTTP ${status}: redirect to ${forbiddenUrl} not followed`,
        responseBodyPrefix: '',
      });
      expect(received).toHaveLength(1);
    }
    expect(forbidden.received).toHaveLength(0);
    // The forbidden address is itself refused when registered or sent to directly.
    expect(await send(aRequest(forbiddenUrl))).toMatchObject({
      type: 'failed',
      error: 'address not allowed: 127.0.0.2 is loopback',
    });
    expect(forbidden.received).toHaveLength(0);
  });

  it('resolves the name again on every attempt and refuses when it now points inside', async () => {
    const { port, received } = await receiver((response) => response.writeHead(200).end());
    let answer = '127.0.0.1';
    const guard = createAddressGuard(parseNetworks('127.0.0.1/32').networks, async () => [
      { address: answer, family: 4 },
    ]);
    const send = createWebhookSender({ guard });
    // The name is answered by the guard's resolver alone (.invalid never resolves in DNS), so the
    // connection goes to the address that was checked.
    const request = aRequest(`http://hooks.invalid:${port}/hook`);
    expect(await send(request)).toMatchObject({ type: 'delivered', status: 200 });
    expect(received[0]!.headers.host).toBe(`hooks.invalid:${port}`);

    answer = '169.254.169.254';
    expect(await send(request)).toEqual({
      type: 'failed',
      error:
        'address not allowed: hooks.invalid resolves to 169.254.169.254, which is link-local (incl. cloud metadata)',
      responseBodyPrefix: '',
    });
    expect(received).toHaveLength(1);
  });

  it('fails an attempt whose host does not resolve, and one that times out', async () => {
    const send = createWebhookSender({ guard: createAddressGuard(loopback) });
    expect(await send(aRequest('http://hooks.invalid/hook'))).toMatchObject({
      type: 'failed',
      error: expect.stringMatching(/^hooks\.invalid does not resolve/),
    });
    const { port } = await receiver(() => {});
    expect(await send({ ...aRequest(`http://127.0.0.1:${port}/hook`), timeoutMs: 200 })).toEqual({
      type: 'failed',
      error: 'timed out after 200 ms',
      responseBodyPrefix: '',
    });
  });
});
