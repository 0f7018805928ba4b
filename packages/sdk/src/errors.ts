/** A failure the server answered with: the protocol's error type and message, plus the HTTP status on the Web API. */
export class ThreadlineApiError extends Error {
  override name = 'ThreadlineApiError';
  readonly type: string;
  readonly status: number | undefined;
  readonly data: unknown;

  constructor(type: string, message: string, options: { status?: number; data?: unknown } = {}) {
    super(`${type}: ${message}`);
    this.type = type;
    this.status = options.status;
    this.data = options.data;
  }
}

/** Reads `{error:{type,message,data}}` from a body, or undefined when the body is not an envelope. */
export function errorFromEnvelope(body: unknown, status?: number): ThreadlineApiError | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = (body as { error: { type?: unknown; message?: unknown; data?: unknown } }).error;
  return new ThreadlineApiError(String(error.type ?? 'internal'), String(error.message ?? ''), {
    ...(status === undefined ? {} : { status }),
    data: error.data,
  });
}
