import type { CommandHandler } from '@threadline/bus';
import { ChatStoreService } from '@threadline/contracts';
import { type GrpcServer, startGrpcServer } from '@threadline/grpc';

/** `threadline.v1.ChatStore` over gRPC: the same execute/query handlers as on NATS. */
export function startChatStoreGrpc(options: {
  port: number;
  host?: string;
  execute: CommandHandler;
  query: CommandHandler;
  onUnexpected: (error: unknown) => void;
}): Promise<GrpcServer> {
  return startGrpcServer({
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    services: [
      {
        definition: ChatStoreService,
        handlers: { execute: options.execute, query: options.query },
      },
    ],
    onUnexpected: options.onUnexpected,
  });
}
