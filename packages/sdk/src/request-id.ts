/**
 * A unique request id. Browsers offer `crypto.randomUUID` only on secure origins (HTTPS,
 * localhost); a page served over plain HTTP elsewhere builds one from random bytes instead.
 */
export function newRequestId(): string {
  if (typeof globalThis.crypto.randomUUID === 'function') return globalThis.crypto.randomUUID();
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
