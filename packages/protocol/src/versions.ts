/** API versions Threadline serves and the stage each is in (spec §8). */
export type ApiStage = 'dev_preview' | 'stable' | 'legacy' | 'deprecated';

export interface ApiVersionInfo {
  version: string;
  stage: ApiStage;
}

export const apiVersions: readonly ApiVersionInfo[] = [
  { version: '3.4', stage: 'deprecated' },
  { version: '3.5', stage: 'legacy' },
  { version: '3.6', stage: 'stable' },
  { version: '3.7', stage: 'dev_preview' },
];

export const stableVersion = '3.6';

export function findApiVersion(version: string): ApiVersionInfo | undefined {
  return apiVersions.find((info) => info.version === version);
}

/**
 * Response headers that announce a version's stage: `Legacy: <end of legacy>` or
 * `Deprecation: <decommission date>`. The dates are operator configuration, keyed by version.
 */
export function stageHeaders(
  info: ApiVersionInfo,
  stageEndDates: Readonly<Record<string, string>>,
): Record<string, string> {
  const date = stageEndDates[info.version];
  if (!date) return {};
  if (info.stage === 'legacy') return { Legacy: date };
  if (info.stage === 'deprecated') return { Deprecation: date };
  return {};
}
