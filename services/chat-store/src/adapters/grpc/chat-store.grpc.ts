import type { CommandHandler } from '@threadline/bus';
import { ChatStoreService } from '@threadline/contracts';
import { type GrpcServer, startGrpcServer } from '@threadline/grpc';

/** `threadline.v1.ChatStore` over gRPC: the same execute/query handlers as on NATS. */
export function startChatStoreGrpc(options: {
  port: number;
  host?: string;
  execute: CommandHandler;
  query: CommandHandler;
  /** The service's readiness (its /readyz), reported by gRPC health. */
  isReady: () => Promise<boolean>;
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
    isReady: options.isReady,
    onUnexpected: options.onUnexpected,
  });
}
