import type { Metadata } from '@grpc/grpc-js';
import type { TextMapGetter, TextMapSetter } from '@threadline/runtime';

/**
 * Trace context in gRPC metadata (`traceparent`/`tracestate` keys, as every gRPC OpenTelemetry
 * instrumentation writes them): the typed client injects it, the server continues it.
 */
export const metadataGetter: TextMapGetter<Metadata> = {
  keys: (carrier) => Object.keys(carrier.getMap()),
  get: (carrier, key) => {
    const [first] = carrier.get(key);
    return first === undefined ? undefined : String(first);
  },
};

export const metadataSetter: TextMapSetter<Metadata> = {
  set: (carrier, key, value) => carrier.set(key, value),
};
