import type { JetStreamClient, JetStreamPublishOptions, PubAck } from '@nats-io/jetstream';
import { headers as createHeaders, type MsgHdrs, type NatsConnection } from '@nats-io/nats-core';
import {
  type Context,
  extractContext,
  hasActiveSpan,
  injectContext,
  inSpan,
  type Span,
  SpanKind,
  type TextMapGetter,
  type TextMapSetter,
} from '@threadline/runtime';

/**
 * Trace context in NATS message headers (W3C `traceparent`/`tracestate`, as the NATS clients of
 * other languages' OpenTelemetry instrumentations write them). Every message the bus sends goes
 * through `traceHeaders` and every message it receives through `inConsumerSpan`, so a command, a
 * stored chat event and a push each continue the trace of the request that caused them.
 */
export const natsHeaderGetter: TextMapGetter<MsgHdrs | undefined> = {
  keys: (carrier) => carrier?.keys() ?? [],
  // Other clients may spell it `Traceparent`: NATS header names are case-sensitive.
  get: (carrier, key) => carrier?.get(key, 'insensitive') || undefined,
};

export const natsHeaderSetter: TextMapSetter<MsgHdrs> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/**
 * The active trace context as message headers (added to `into` when given), or `into` unchanged
 * outside a span: with tracing off no headers are made, and messages stay as small as before.
 */
export function traceHeaders(into?: MsgHdrs): MsgHdrs | undefined {
  if (!hasActiveSpan()) return into;
  const carrier = into ?? createHeaders();
  injectContext(carrier, natsHeaderSetter);
  return carrier;
}

/** The trace context a received message carries. */
export function messageContext(headers: MsgHdrs | undefined): Context {
  return extractContext(headers, natsHeaderGetter);
}

/**
 * Handles a received message inside a span (CONSUMER; SERVER for a request being answered) whose
 * parent is the context the message carries (a new root when it carries none).
 */
export function inConsumerSpan<Result>(
  name: string,
  message: { subject: string; headers?: MsgHdrs | undefined },
  work: (span: Span) => Result,
  kind: SpanKind = SpanKind.CONSUMER,
): Result {
  return inSpan(
    name,
    {
      kind,
      parent: messageContext(message.headers),
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': message.subject },
    },
    work,
  );
}

/** A core NATS publish (pushes, notices) carrying the active trace context. */
export function publishTraced(
  connection: NatsConnection,
  subject: string,
  data: Uint8Array | string,
): void {
  const headers = traceHeaders();
  connection.publish(subject, data, headers ? { headers } : undefined);
}

/**
 * A JetStream append inside a PRODUCER span (it lasts until the stream acknowledged), carrying the
 * trace context in the stored message, so each consumer's processing joins the trace that wrote it.
 */
export function publishToStream(
  jetstream: JetStreamClient,
  subject: string,
  data: Uint8Array | string,
  options: Partial<JetStreamPublishOptions> & { operation: string },
): Promise<PubAck> {
  const { operation, ...publishOptions } = options;
  return inSpan(
    `publish ${operation}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject },
    },
    () => {
      const headers = traceHeaders(publishOptions.headers);
      return jetstream.publish(
        subject,
        data,
        headers ? { ...publishOptions, headers } : publishOptions,
      );
    },
  );
}
