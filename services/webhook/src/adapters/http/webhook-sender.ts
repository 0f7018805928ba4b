import type { LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { signWebhook } from '@threadline/protocol';
import { extractContext, injectContext, inSpan, markFailed, SpanKind } from '@threadline/runtime';
import type { SendOutcome, SendWebhook } from '../../application/ports.ts';
import type { AddressGuard } from '../dns/address-guard.ts';

/** How much of a receiver's answer is kept: enough to show an error page's gist, never a dump. */
export const responsePrefixBytes = 1024;

/**
 * POSTs webhooks. Only a 2xx answer counts as delivered. Redirects are never followed, to any
 * address: a receiver answering 3xx could otherwise point us at the operator's network (a public
 * host redirecting to 169.254.169.254 or 127.0.0.1) after its own address passed the check, and
 * re-checking each hop would still re-POST a signed body to a host nobody registered. LiveChat
 * likewise expects the registered URL itself to answer; a URL that moved is the owner's to fix,
 * and the failed attempt's error names where it pointed. Never throws: refused addresses,
 * network errors and timeouts are failed outcomes.
 *
 * The URL's host is resolved and checked again on every attempt (what it resolved to at
 * registration may have changed), and the connection is pinned to the addresses checked, so a
 * second resolution inside the HTTP client cannot answer differently.
 *
 * Each attempt is a client span in the trace the delivery was enqueued in, and the POST carries
 * its `traceparent`, so the receiver can continue the trace.
 */
export function createWebhookSender(deps: {
  guard: AddressGuard;
  now?: () => number;
  prefixBytes?: number;
}): SendWebhook {
  const now = deps.now ?? Date.now;
  const prefixBytes = deps.prefixBytes ?? responsePrefixBytes;
  const attempt = async (request: Parameters<SendWebhook>[0]): Promise<SendOutcome> => {
    const signal = AbortSignal.timeout(request.timeoutMs);
    try {
      const url = new URL(request.url);
      const resolution = await deps.guard(url.hostname, signal);
      if (resolution.type === 'refused') {
        return failed(`address not allowed: ${resolution.reason}`);
      }
      if (resolution.type === 'unresolved') return failed(resolution.reason);
      const timestamp = Math.floor(now() / 1000);
      const response = await post(url, resolution.addresses, signal, request.body, {
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(request.body)),
        'User-Agent': 'Threadline-Webhooks/1',
        'X-Threadline-Webhook-Id': request.deliveryId,
        'X-Threadline-Delivery-Attempt': String(request.attempt),
        'X-Threadline-Timestamp': String(timestamp),
        'X-Threadline-Signature': signWebhook(request.body, request.secretKey, timestamp),
        ...traceHeaders(),
      });
      const status = response.statusCode ?? 0;
      const responseBodyPrefix = await readPrefix(response, prefixBytes);
      if (status >= 200 && status < 300) return { type: 'delivered', status, responseBodyPrefix };
      return { type: 'failed', status, error: statusError(response), responseBodyPrefix };
    } catch (error) {
      return failed(describeFailure(error, request.timeoutMs));
    }
  };
  return (request) =>
    inSpan(
      `webhook ${request.action}`,
      {
        kind: SpanKind.CLIENT,
        parent: extractContext({ traceparent: request.traceparent ?? undefined }),
        attributes: {
          'http.request.method': 'POST',
          'server.address': URL.parse(request.url)?.hostname ?? '',
          'threadline.webhook.delivery_id': request.deliveryId,
          'threadline.webhook.attempt': request.attempt,
        },
      },
      async (span) => {
        const outcome = await attempt(request);
        if (outcome.status !== undefined) {
          span.setAttribute('http.response.status_code', outcome.status);
        }
        if (outcome.type === 'failed') {
          const type = outcome.status === undefined ? 'no_response' : String(outcome.status);
          markFailed(span, Object.assign(new Error(outcome.error), { type }), { expected: false });
        }
        return outcome;
      },
    );
}

/** The active span's `traceparent` (none when tracing is off). */
function traceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  injectContext(headers);
  return headers;
}

/** `HTTP 500`; a redirect also says where to, so the owner sees what to register instead. */
function statusError(response: IncomingMessage): string {
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  if (status < 300 || status >= 400 || !location) return `HTTP ${status}`;
  return `HTTP ${status}: redirect to ${location.slice(0, 200)} not followed`;
}

function failed(error: string) {
  return { type: 'failed', error, responseBodyPrefix: '' } as const;
}

function post(
  url: URL,
  addresses: LookupAddress[],
  signal: AbortSignal,
  body: string,
  headers: Record<string, string>,
): Promise<IncomingMessage> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(url, { method: 'POST', headers, signal, lookup: pinned(addresses) });
    outgoing.once('response', resolve);
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

/** A lookup that answers only the addresses already checked (Host and TLS still use the name). */
function pinned(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const usable = addresses.filter((a) => !options.family || a.family === options.family);
    if (usable.length === 0) {
      callback(
        Object.assign(new Error('no allowed address of that family'), { code: 'ENOTFOUND' }),
        '',
      );
    } else if (options.all) callback(null, usable);
    else callback(null, usable[0]!.address, usable[0]!.family);
  };
}

/**
 * The first `limit` bytes of the body, then the stream is dropped (leaving the loop destroys it): a receiver answering with a
 * huge (or endless) body costs one chunk. A body cut short by the timeout keeps what arrived; the
 * status has already decided the outcome. NUL is replaced because Postgres text cannot hold it.
 */
async function readPrefix(response: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) break;
    }
  } catch {
    // Reset or timed out mid-body: what arrived is the prefix.
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8').replaceAll('\u0000', '\uFFFD');
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timed out after ${timeoutMs} ms`;
  }
  const cause =
    error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error instanceof Error ? error.message : String(error)}${cause}`.slice(0, 500);
}
