import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.ts';
import { tracingConfig } from './tracing-config.ts';

describe('tracingConfig', () => {
  it('is off without an exporter endpoint, whatever else is set', () => {
    expect(tracingConfig({}, 'gateway')).toBeUndefined();
    expect(
      tracingConfig({ OTEL_SERVICE_NAME: 'edge', OTEL_TRACES_SAMPLER: 'always_on' }, 'gateway'),
    ).toBeUndefined();
  });

  it('is off when disabled or the exporter is none, even with an endpoint', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingConfig({ ...endpoint, OTEL_SDK_DISABLED: 'true' }, 'gateway')).toBeUndefined();
    expect(tracingConfig({ ...endpoint, OTEL_SDK_DISABLED: 'TRUE' }, 'gateway')).toBeUndefined();
    expect(tracingConfig({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }, 'gateway')).toBeUndefined();
    expect(tracingConfig({ ...endpoint, OTEL_SDK_DISABLED: 'false' }, 'gateway')).toBeDefined();
  });

  it('appends /v1/traces to the base endpoint and takes the traces endpoint as it is', () => {
    expect(
      tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, 'chat-store'),
    ).toEqual({
      serviceName: 'chat-store',
      tracesUrl: 'http://collector:4318/v1/traces',
      sampler: { name: 'parentbased_always_on', ratio: 1 },
    });
    expect(
      tracingConfig(
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/otlp/traces',
        },
        'router',
      )?.tracesUrl,
    ).toBe('http://tempo:4318/otlp/traces');
  });

  it('takes the service name and sampler from the environment', () => {
    expect(
      tracingConfig(
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
          OTEL_SERVICE_NAME: 'threadline-gateway',
          OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
          OTEL_TRACES_SAMPLER_ARG: '0.05',
        },
        'gateway',
      ),
    ).toMatchObject({
      serviceName: 'threadline-gateway',
      sampler: { name: 'parentbased_traceidratio', ratio: 0.05 },
    });
  });

  it('refuses what the SDK would silently ignore', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    for (const env of [
      { ...endpoint, OTEL_TRACES_SAMPLER: 'sometimes' },
      { ...endpoint, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' },
      { ...endpoint, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' },
      { ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      { ...endpoint, OTEL_TRACES_EXPORTER: 'zipkin' },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318 ' },
    ]) {
      expect(() => tracingConfig(env, 'gateway'), JSON.stringify(env)).toThrow(ConfigError);
    }
  });
});
