import { parseArgs } from 'node:util';

/** A command-line mistake: reported on stderr with a pointer to the usage text. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;
export type OptionValues = Record<string, string | boolean | undefined>;

/**
 * Parses `--name value` options strictly: unknown options and stray arguments are errors. The
 * command's named positionals, when it has some, land in the values under their names.
 */
export function parseOptions(
  args: string[],
  spec: OptionSpec,
  positionalNames: readonly string[] = [],
): OptionValues {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: spec, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.positionals.length > positionalNames.length) {
    throw new UsageError(`Unexpected argument '${parsed.positionals[positionalNames.length]}'`);
  }
  const values = { ...parsed.values } as OptionValues;
  for (const [index, value] of parsed.positionals.entries()) {
    values[positionalNames[index] as string] = value;
  }
  return values;
}

export function requiredString(values: OptionValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new UsageError(`--${name} is required`);
  }
  return value;
}

export function optionalString(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function optionalInteger(values: OptionValues, name: string): number | undefined {
  const value = optionalString(values, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return Number(value);
}

/** `--groups 0,1,2` → [0, 1, 2]. */
export function optionalIntegerList(values: OptionValues, name: string): number[] | undefined {
  const value = optionalString(values, name);
  if (value === undefined) return undefined;
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => !/^\d+$/.test(item))) {
    throw new UsageError(`--${name} must be a comma-separated list of numbers, got "${value}"`);
  }
  return items.map(Number);
}
