import { ConfigError } from './config.ts';

/** The samplers OTEL_TRACES_SAMPLER names (the OpenTelemetry SDK specification's list). */
export const samplerNames = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

export type SamplerName = (typeof samplerNames)[number];

export interface TracingConfig {
  /** `service.name` of every span: OTEL_SERVICE_NAME, else the service's own name. */
  serviceName: string;
  /** Where spans are POSTed (OTLP/HTTP, JSON). */
  tracesUrl: string;
  sampler: { name: SamplerName; ratio: number };
}

/**
 * Reads the standard OpenTelemetry variables. Tracing is on only when an exporter endpoint is
 * given (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT plus `/v1/traces`),
 * and off when OTEL_SDK_DISABLED is true or OTEL_TRACES_EXPORTER is `none`: undefined then, and
 * the services run with the API's no-op tracer. Values the SDK would silently ignore (an unknown
 * sampler, a ratio outside [0, 1], the gRPC protocol we do not ship) are startup errors instead,
 * so a misconfigured Deployment fails its rollout rather than tracing nothing.
 */
export function tracingConfig(
  env: Record<string, string | undefined>,
  service: string,
): TracingConfig | undefined {
  if (flag(env.OTEL_SDK_DISABLED)) return undefined;
  const exporter = value(env.OTEL_TRACES_EXPORTER);
  if (exporter === 'none') return undefined;
  if (exporter !== undefined && exporter !== 'otlp') {
    throw new ConfigError(`OTEL_TRACES_EXPORTER: only "otlp" or "none" is supported`);
  }
  const tracesUrl = tracesEndpoint(env);
  if (tracesUrl === undefined) return undefined;
  const protocol = value(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL);
  if (protocol === 'grpc') {
    throw new ConfigError(
      'OTEL_EXPORTER_OTLP_PROTOCOL: spans are sent over OTLP/HTTP; point the endpoint at the ' +
        "collector's HTTP port (4318), not gRPC",
    );
  }
  return {
    serviceName: value(env.OTEL_SERVICE_NAME) ?? service,
    tracesUrl,
    sampler: samplerOf(env),
  };
}

function tracesEndpoint(env: Record<string, string | undefined>): string | undefined {
  const traces = value(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const base = value(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const url = traces ?? (base === undefined ? undefined : `${base.replace(/\/+$/, '')}/v1/traces`);
  if (url === undefined) return undefined;
  if (!/^https?:$/.test(URL.parse(url)?.protocol ?? '')) {
    throw new ConfigError(`OTEL_EXPORTER_OTLP_ENDPOINT: not an http(s) URL: ${url}`);
  }
  return url;
}

function samplerOf(env: Record<string, string | undefined>): TracingConfig['sampler'] {
  const name = value(env.OTEL_TRACES_SAMPLER) ?? 'parentbased_always_on';
  if (!(samplerNames as readonly string[]).includes(name)) {
    throw new ConfigError(`OTEL_TRACES_SAMPLER: one of ${samplerNames.join(', ')}`);
  }
  const argument = value(env.OTEL_TRACES_SAMPLER_ARG);
  const ratio = argument === undefined ? 1 : Number(argument);
  if (name.endsWith('traceidratio') && !(ratio >= 0 && ratio <= 1)) {
    throw new ConfigError('OTEL_TRACES_SAMPLER_ARG: a ratio between 0 and 1');
  }
  return { name: name as SamplerName, ratio };
}

function value(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

function flag(text: string | undefined): boolean {
  return value(text)?.toLowerCase() === 'true';
}
