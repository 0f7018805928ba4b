export { ConfigError, loadConfig } from './config.ts';
export { millisecondsVariable, portVariable, serviceEnvironment } from './environment.ts';
export {
  createMetricsRegistry,
  type HealthServerOptions,
  handleHealthRequest,
  startHealthServer,
} from './health.ts';
export { createLifecycle, type Lifecycle } from './lifecycle.ts';
export { createLogger, type Logger } from './logger.ts';
export {
  createReadiness,
  type Readiness,
  type ReadinessCheck,
  type ReadinessReport,
} from './readiness.ts';
export {
  activeSpan,
  activeTraceFields,
  type Context,
  currentTraceparent,
  extractContext,
  hasActiveSpan,
  injectContext,
  inSpan,
  markFailed,
  type Span,
  SpanKind,
  type SpanOptions,
  type TextMapGetter,
  type TextMapSetter,
} from './spans.ts';
export { startTracing, type Tracing } from './tracing.ts';
export { type TracingConfig, tracingConfig } from './tracing-config.ts';
