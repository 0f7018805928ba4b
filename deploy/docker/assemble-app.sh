#!/bin/sh
# The directory one service's image runs, `deploy/docker/assemble-app.sh SERVICE OUT`, from the
# repository root after `pnpm install` and the contracts' generate. The Dockerfile's build stage
# runs it into /out (then /app); deploy/test/bundle.test.ts runs it into a temporary directory and
# starts what it made with plain node, so the test checks the recipe the image uses.
#   OUT/dist/       the bundle (tsdown, packages/bundle): main.js, migrate.js and their chunks
#   OUT/node_modules/  the service's production dependencies, hoisted: the bundle inlines the
#                   @threadline/* packages, whose third-party imports must resolve from here
#   OUT/proto/      the .proto files, which gRPC reflection reads at startup (packages/grpc)
#   OUT/package.json  "type": "module" for dist/*.js
set -eu
service=$1
out=$2
pnpm --filter "@threadline/${service}" deploy --prod --legacy --prefer-offline \
  --config.node-linker=hoisted "${out}"
pnpm --filter "@threadline/${service}" run build --out-dir "${out}/dist"
cp -r proto "${out}/proto"
# The sources, tests and tool configuration came with the deploy; the bundle replaces them, and
# the workspace packages it inlines.
rm -rf "${out}/src" "${out}/test" "${out}/node_modules/@threadline" "${out}"/*.config.ts \
  "${out}/tsconfig.json" "${out}/README.md"
