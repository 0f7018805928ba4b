import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Server } from '@grpc/grpc-js';
import { loadSync, type Options } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { protoPath as healthProtoPath } from 'grpc-health-check';

const loaderOptions: Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

/**
 * The repository's `proto/` directory: the nearest one above this module. In the workspace that is
 * the repository root; in the image (deploy/docker/Dockerfile) `/app/proto`, above the service's
 * node_modules. Looked up rather than configured so the same code runs in both.
 */
export function findProtoRoot(from: string = import.meta.dirname): string {
  for (let directory = from; ; directory = dirname(directory)) {
    const candidate = join(directory, 'proto');
    if (existsSync(join(candidate, 'threadline', 'v1'))) return candidate;
    if (dirname(directory) === directory) {
      throw new Error(
        `no proto/threadline/v1 above ${from}: gRPC reflection needs the .proto files`,
      );
    }
  }
}

/**
 * Serves grpc.reflection (v1 and v1alpha) for the given services, described from the .proto
 * files themselves (loaded once at startup), so grpcurl and Postman need no local copy of them.
 */
export function addReflection(server: Server, serviceNames: string[], protoRoot = findProtoRoot()) {
  const threadline = join('threadline', 'v1');
  const files = readdirSync(join(protoRoot, threadline))
    .filter((file) => file.endsWith('.proto'))
    .map((file) => join(threadline, file));
  const healthRoot = dirname(dirname(dirname(healthProtoPath)));
  const definition = loadSync([...files, join('health', 'v1', 'health.proto')], {
    ...loaderOptions,
    includeDirs: [protoRoot, healthRoot],
  });
  new ReflectionService(definition, { services: serviceNames }).addToServer(server);
}
