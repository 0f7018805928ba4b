import type { MethodName, MethodPayload } from '@threadline/protocol';
import { authorizationHeader, type Credentials } from './credentials.ts';
import { errorFromEnvelope, ThreadlineApiError } from './errors.ts';

export type WebApi = 'agent' | 'customer' | 'configuration';

export interface WebClientOptions {
  /** e.g. `http://127.0.0.1:8080` */
  baseUrl: string;
  api: WebApi;
  credentials: Credentials;
  /** Required by the Customer Chat API on every call. */
  organizationId?: string;
  version?: string;
}

/** Per call: an `Idempotency-Key`, so that sending the call again after a failure applies it once. */
export interface CallOptions {
  idempotencyKey?: string;
}

/** A method's response payload; typed loosely until the whole surface has response schemas. */
export type ResponsePayload = Record<string, unknown> & { [key: string]: unknown };

/**
 * A Web API client: one stateless `POST /v<version>/<api>/action/<method>` per call. Throws
 * ThreadlineApiError with the protocol's error type when the server answers with the envelope.
 */
export function createWebClient(options: WebClientOptions) {
  const version = options.version ?? '3.6';
  const authorization = authorizationHeader(options.credentials);

  async function call<M extends MethodName>(
    method: M,
    payload: MethodPayload<M>,
    callOptions?: CallOptions,
  ): Promise<ResponsePayload>;
  async function call(
    method: string,
    payload: unknown,
    callOptions?: CallOptions,
  ): Promise<ResponsePayload>;
  async function call(
    method: string,
    payload: unknown,
    callOptions: CallOptions = {},
  ): Promise<ResponsePayload> {
    const response = await fetch(actionUrl(method), {
      method: 'POST',
      headers: {
        authorization,
        'content-type': 'application/json',
        ...(callOptions.idempotencyKey ? { 'idempotency-key': callOptions.idempotencyKey } : {}),
      },
      body: JSON.stringify(payload ?? {}),
    });
    return readResponse(response);
  }

  /**
   * `upload_file`, the one method sent as multipart (field `file`): answers the file's URL, for
   * a `file` event. `file` is a browser's File/Blob or any Blob in Node.
   */
  async function uploadFile(file: Blob, name: string): Promise<string> {
    const form = new FormData();
    form.append('file', file, name);
    const response = await fetch(actionUrl('upload_file'), {
      method: 'POST',
      headers: { authorization },
      body: form,
    });
    return String((await readResponse(response)).url);
  }

  function actionUrl(method: string): URL {
    const url = new URL(`/v${version}/${options.api}/action/${method}`, options.baseUrl);
    if (options.organizationId) url.searchParams.set('organization_id', options.organizationId);
    return url;
  }

  return { call, uploadFile, version };
}

async function readResponse(response: Response): Promise<ResponsePayload> {
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    throw (
      errorFromEnvelope(body, response.status) ??
      new ThreadlineApiError('internal', `HTTP ${response.status} without an error envelope`, {
        status: response.status,
      })
    );
  }
  return (body ?? {}) as ResponsePayload;
}

export type WebClient = ReturnType<typeof createWebClient>;
