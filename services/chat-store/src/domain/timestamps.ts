const rfc3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * An RFC 3339 time with any offset and precision, as the protocol writes times: UTC with
 * microseconds (`2017-10-12T15:19:21.010200Z`). Digits past the microsecond are dropped;
 * undefined when the text is no such time.
 */
export function toProtocolTimestamp(value: string): string | undefined {
  const match = rfc3339.exec(value);
  if (!match) return undefined;
  const [, base, fraction = '', zone] = match;
  const micros = `${fraction}000000`.slice(0, 6);
  const date = new Date(`${base}.${micros.slice(0, 3)}${zone}`);
  if (Number.isNaN(date.getTime())) return undefined;
  // Offsets are whole minutes, so the sub-millisecond digits survive the shift to UTC unchanged.
  return `${date.toISOString().slice(0, 23)}${micros.slice(3)}Z`;
}
