import {
  type handleUnaryCall,
  Server,
  ServerCredentials,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { type CommandHandler, replyFor } from '@threadline/bus';
import type { Command, Reply } from '@threadline/contracts';
import { ProtocolError } from '@threadline/protocol';

/**
 * One gRPC service: its ts-proto definition and a CommandHandler per rpc, keyed as in the
 * definition (`execute`, `query`). The handlers are the same
 * functions the service serves on NATS; only the transport differs. Protocol failures travel in the
 * Reply (as on NATS), so gRPC status codes mean transport trouble only.
 */
export interface GrpcService {
  definition: ServiceDefinition;
  handlers: Record<string, CommandHandler>;
}

export interface GrpcServer {
  port: number;
  stop(): Promise<void>;
}

export async function startGrpcServer(options: {
  port: number;
  host?: string;
  services: GrpcService[];
  onUnexpected: (error: unknown) => void;
}): Promise<GrpcServer> {
  const server = new Server();
  for (const service of options.services) {
    const implementation: UntypedServiceImplementation = {};
    for (const [name, handler] of Object.entries(service.handlers)) {
      const unary: handleUnaryCall<Command, Reply> = (call, callback) => {
        handler(call.request).then(
          (payload) => callback(null, replyFor({ payload })),
          (error: unknown) => {
            if (!(error instanceof ProtocolError)) options.onUnexpected(error);
            callback(null, replyFor({ error }));
          },
        );
      };
      implementation[lowerFirst(name)] = unary;
    }
    server.addService(service.definition, implementation);
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${options.host ?? '0.0.0.0'}:${options.port}`,
      ServerCredentials.createInsecure(),
      (error, boundPort) => (error ? reject(error) : resolve(boundPort)),
    ),
  );
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
      }),
  };
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
