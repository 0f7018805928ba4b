import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  type ChannelCredentials,
  Client,
  credentials,
  Metadata,
  type MethodDefinition,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { isServerFault } from '@threadline/protocol';
import { injectContext, inSpan, SpanKind } from '@threadline/runtime';
import { service as healthService } from 'grpc-health-check';
import { protocolErrorFromStatus } from './status.ts';
import { metadataSetter } from './trace-metadata.ts';

export interface GrpcClientOptions {
  /** Deadline of every call unless the call gives its own. */
  deadlineMs: number;
  credentials?: ChannelCredentials;
}

export interface GrpcCallOptions {
  deadlineMs?: number;
  metadata?: Metadata;
}

/** One promise-returning method per unary rpc of a ts-proto definition, typed from it. */
export type GrpcClient<Definition extends ServiceDefinition> = {
  [Name in keyof Definition]: Definition[Name] extends MethodDefinition<
    infer Request,
    infer Response
  >
    ? (request: Request, options?: GrpcCallOptions) => Promise<Response>
    : never;
} & { close(): void };

/**
 * A client for one of Threadline's gRPC services (`ChatStoreService`, `RouterService`,
 * `WebhooksService` from @threadline/contracts). Every call has a deadline; a failure rejects with
 * the ProtocolError the server answered (its type from trailing metadata), or, for transport
 * failures, the one its status code stands for (UNAVAILABLE: `service_unavailable`, ...).
 */
export function createGrpcClient<Definition extends ServiceDefinition>(
  definition: Definition,
  address: string,
  options: GrpcClientOptions,
): GrpcClient<Definition> {
  const client = new Client(address, options.credentials ?? credentials.createInsecure());
  const methods: Record<string, unknown> = { close: () => client.close() };
  for (const [name, method] of Object.entries(definition)) {
    methods[name] = (request: unknown, call: GrpcCallOptions = {}) =>
      callUnary(client, method, request, {
        deadlineMs: call.deadlineMs ?? options.deadlineMs,
        ...(call.metadata ? { metadata: call.metadata } : {}),
      });
  }
  return methods as GrpcClient<Definition>;
}

/** One unary call in a client span; its metadata carries the trace on to the server. */
function callUnary<Request, Response>(
  client: Client,
  method: MethodDefinition<Request, Response>,
  request: Request,
  options: { deadlineMs: number; metadata?: Metadata },
): Promise<Response> {
  const [service = '', name = ''] = method.path.slice(1).split('/');
  const attributes = { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': name };
  const expected = (error: unknown) => !isServerFault(error);
  return inSpan(method.path.slice(1), { kind: SpanKind.CLIENT, attributes, expected }, (span) => {
    const metadata = options.metadata?.clone() ?? new Metadata();
    injectContext(metadata, metadataSetter);
    return new Promise<Response>((resolve, reject) => {
      client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        metadata,
        { deadline: Date.now() + options.deadlineMs },
        (error: ServiceError | null, response?: Response) => {
          if (!error) return resolve(response as Response);
          span.setAttribute('rpc.grpc.status_code', error.code);
          reject(protocolErrorFromStatus(error));
        },
      );
    });
  });
}

export type ServingStatus = 'SERVING' | 'NOT_SERVING' | 'UNKNOWN' | 'SERVICE_UNKNOWN';

/** grpc.health.v1.Health/Check: the service's status ("" for the whole server). */
export async function checkHealth(address: string, service = '', deadlineMs = 5_000) {
  const client = new Client(address, credentials.createInsecure());
  try {
    const check = healthService.Check as MethodDefinition<object, { status: ServingStatus }>;
    const response = await callUnary(client, check, { service }, { deadlineMs });
    return response.status;
  } finally {
    client.close();
  }
}

const require = createRequire(import.meta.url);

/** The services a server lists over grpc.reflection.v1 (what `grpcurl list` shows). */
export async function listServices(address: string, deadlineMs = 5_000): Promise<string[]> {
  const protoRoot = join(dirname(require.resolve('@grpc/reflection')), '..', 'proto');
  const reflection = loadSync('grpc/reflection/v1/reflection.proto', {
    keepCase: true,
    includeDirs: [protoRoot],
  })['grpc.reflection.v1.ServerReflection'] as ServiceDefinition;
  const method = reflection.ServerReflectionInfo as MethodDefinition<
    object,
    { list_services_response?: { service: { name: string }[] } }
  >;
  const client = new Client(address, credentials.createInsecure());
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const stream = client.makeBidiStreamRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        new Metadata(),
        { deadline: Date.now() + deadlineMs },
      );
      stream.on('data', (response: Awaited<ReturnType<typeof method.responseDeserialize>>) => {
        resolve(response.list_services_response?.service.map((service) => service.name) ?? []);
        stream.end();
      });
      stream.on('error', (error: ServiceError) => reject(protocolErrorFromStatus(error)));
      stream.write({ list_services: '' });
    });
  } finally {
    client.close();
  }
}
