import { ProtocolError } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { isAtLeast, resolveVersion } from './versions.ts';

describe('resolveVersion', () => {
  it('prefers the path, then X-API-Version, then the stable version', () => {
    expect(resolveVersion('3.5', '3.7').version).toBe('3.5');
    expect(resolveVersion(undefined, ' 3.7 ').version).toBe('3.7');
    expect(resolveVersion(undefined, undefined)).toEqual({ version: '3.6', stage: 'stable' });
  });

  it('refuses versions Threadline does not serve with unsupported_version', () => {
    for (const version of ['3.3', '2', 'latest', '3.6.1']) {
      expect(() => resolveVersion(version, undefined)).toThrow(ProtocolError);
      try {
        resolveVersion(version, undefined);
      } catch (error) {
        expect((error as ProtocolError).type).toBe('unsupported_version');
      }
    }
  });
});

describe('isAtLeast', () => {
  it('compares major.minor numerically', () => {
    expect(isAtLeast('3.10', '3.7')).toBe(true);
    expect(isAtLeast('3.6', '3.6')).toBe(true);
    expect(isAtLeast('3.5', '3.6')).toBe(false);
    expect(isAtLeast('4.0', '3.9')).toBe(true);
  });
});
