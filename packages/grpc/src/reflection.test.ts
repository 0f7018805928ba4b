import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProtoRoot } from './reflection.ts';

describe('findProtoRoot', () => {
  it("finds the repository's proto/ from this package", () => {
    expect(findProtoRoot()).toBe(join(import.meta.dirname, '..', '..', '..', 'proto'));
  });

  it('finds /app/proto from the package inside the image (pnpm deploy layout)', () => {
    const app = mkdtempSync(join(tmpdir(), 'grpc-proto-'));
    try {
      mkdirSync(join(app, 'proto', 'threadline', 'v1'), { recursive: true });
      const deployed = join(app, 'node_modules/.pnpm/x/node_modules/@threadline/grpc/src');
      mkdirSync(deployed, { recursive: true });
      expect(findProtoRoot(deployed)).toBe(join(app, 'proto'));
      expect(() => findProtoRoot(tmpdir())).toThrow(/proto\/threadline\/v1/);
    } finally {
      rmSync(app, { recursive: true });
    }
  });
});
