import {
  type ApiVersionInfo,
  findApiVersion,
  ProtocolError,
  stableVersion,
} from '@threadline/protocol';

/**
 * The API version of a request: the path's (`/v3.6/…`) wins, then `X-API-Version`, then the stable
 * version. A version Threadline does not serve is `unsupported_version`.
 */
export function resolveVersion(
  pathVersion: string | undefined,
  headerVersion: string | undefined,
): ApiVersionInfo {
  const requested = pathVersion ?? headerVersion?.trim() ?? stableVersion;
  const info = findApiVersion(requested);
  if (!info)
    throw new ProtocolError('unsupported_version', `Unsupported API version: ${requested}`);
  return info;
}

/** True when `version` is not older than `minimum` (both `major.minor`). */
export function isAtLeast(version: string, minimum: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [minMajor = 0, minMinor = 0] = minimum.split('.').map(Number);
  return major > minMajor || (major === minMajor && minor >= minMinor);
}
