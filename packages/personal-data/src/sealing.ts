import { decrypt, encrypt } from './envelope.ts';

/** What an erased customer's text reads as, wherever it was. */
export const erasedText = '[erased]';

/**
 * A sealed value is a JSON string, so every reader that only checks a field's presence or type
 * (the router's schemas, say) reads sealed batches unchanged. The customer id is in the clear:
 * it names the key and is a pseudonym, not personal data by itself.
 */
const marker = '\u0001tl-sealed:1:';

/** Which placeholder a value gets once its key is gone: text, list, object or other. */
type Kind = 's' | 'a' | 'o' | 'v';

/** Fields of a customer chat user that stay in the clear (ids, presence, read state). */
const keptUserFields = new Set(['id', 'type', 'present', 'events_seen_up_to', 'created_at']);
/** A requester's (the command's author) personal fields. */
const sealedRequesterFields = ['name', 'email', 'avatar'];
/**
 * Fields of an event a customer wrote that stay in the clear: what places and orders it.
 * Everything else (text, file names and urls, form answers, custom content) is theirs.
 */
const keptEventFields = new Set([
  'id',
  'custom_id',
  'type',
  'author_id',
  'created_at',
  'visibility',
  'recipients',
  'properties',
  'deleted',
  'thread_id',
]);

/** Customer id → data key; `null` (or missing, when opening) for an erased customer. */
export type CustomerKeys = ReadonlyMap<string, Uint8Array | null>;

/**
 * The customers whose data `value` carries: chat users of type `customer`, and requesters of
 * user type `customer`. Events are theirs by `author_id`, so authors need no lookup of their own.
 */
export function customersIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) customersIn(item, found);
  else if (isRecord(value)) {
    const owner = customerUserId(value) ?? customerRequesterId(value);
    if (owner) found.add(owner);
    for (const field of Object.values(value)) customersIn(field, found);
  }
  return found;
}

/** The customers whose keys the sealed strings in `value` need. */
export function sealedOwnersIn(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const owner = parseSealed(value)?.customerId;
    if (owner) found.add(owner);
  } else if (Array.isArray(value)) for (const item of value) sealedOwnersIn(item, found);
  else if (isRecord(value)) for (const field of Object.values(value)) sealedOwnersIn(field, found);
  return found;
}

/**
 * Seals a JSON value's personal fields with their owner's key: a customer user's identity
 * (everything but id, type and read state), a customer requester's name, e-mail and avatar, and
 * the content of every event a customer in `keys` wrote. Thread summaries quote the customer, so
 * their text (and a `messaging`/`summary` event's details) is sealed with `summaryOwner`'s key,
 * the chat's customer. An owner without a key (erased) gets the placeholder at once: nothing of
 * an erased customer is written again.
 */
export function sealValue<T>(
  value: T,
  organizationId: string,
  keys: CustomerKeys,
  summaryOwner?: string,
): T {
  return walk(value, organizationId, keys, summaryOwner) as T;
}

function walk(
  value: unknown,
  organizationId: string,
  keys: CustomerKeys,
  summaryOwner: string | undefined,
): unknown {
  const again = (item: unknown) => walk(item, organizationId, keys, summaryOwner);
  if (Array.isArray(value)) return value.map(again);
  if (!isRecord(value)) return value;
  if (summaryOwner && keys.has(summaryOwner)) {
    if (isThreadSummary(value)) return sealFields(value, (field) => field === 'text', summaryOwner);
    if (isSummaryEvent(value))
      return sealFields(value, (field) => field === 'details', summaryOwner);
  }
  const user = customerUserId(value);
  if (user) return sealFields(value, (field) => !keptUserFields.has(field), user);
  const requester = customerRequesterId(value);
  if (requester)
    return sealFields(value, (field) => sealedRequesterFields.includes(field), requester);
  const author = typeof value.author_id === 'string' ? value.author_id : undefined;
  if (author && keys.has(author)) return sealFields(value, (f) => !keptEventFields.has(f), author);
  return mapFields(value, again);

  function sealFields(
    record: Record<string, unknown>,
    isPersonal: (field: string) => boolean,
    customerId: string,
  ): Record<string, unknown> {
    const key = keys.get(customerId);
    return mapFields(record, (content, field) => {
      if (!isPersonal(field) || isEmpty(content) || isSealed(content)) return again(content);
      return key ? sealOne(content, key, organizationId, customerId) : placeholder(kindOf(content));
    });
  }
}

/** Opens every sealed string in `value`; those whose key is gone become placeholders. */
export function openValue<T>(value: T, organizationId: string, keys: CustomerKeys): T {
  return open(value, organizationId, keys) as T;
}

function open(value: unknown, organizationId: string, keys: CustomerKeys): unknown {
  if (typeof value === 'string') {
    const sealed = parseSealed(value);
    if (!sealed) return value;
    const key = keys.get(sealed.customerId);
    if (!key) return placeholder(sealed.kind);
    try {
      const plain = decrypt(key, sealed.bytes, contextOf(organizationId, sealed.customerId));
      return JSON.parse(plain.toString('utf8')) as unknown;
    } catch {
      // Tampered bytes or a value moved from another customer or organization: no plaintext.
      return placeholder(sealed.kind);
    }
  }
  if (Array.isArray(value)) return value.map((item) => open(item, organizationId, keys));
  if (isRecord(value)) return mapFields(value, (field) => open(field, organizationId, keys));
  return value;
}

/** True when `value` is a sealed string (as stored, before opening). */
export function isSealed(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(marker);
}

function sealOne(
  value: unknown,
  key: Uint8Array,
  organizationId: string,
  customerId: string,
): string {
  const plain = Buffer.from(JSON.stringify(value), 'utf8');
  const bytes = encrypt(key, plain, contextOf(organizationId, customerId));
  return `${marker}${customerId}:${kindOf(value)}:${bytes.toString('base64')}`;
}

function parseSealed(text: string): { customerId: string; kind: Kind; bytes: Buffer } | undefined {
  if (!text.startsWith(marker)) return undefined;
  // Parsed from the end: base64 and the kind hold no colon, a customer id might.
  const rest = text.slice(marker.length);
  const last = rest.lastIndexOf(':');
  const kind = rest.slice(last - 1, last);
  const customerId = rest.slice(0, last - 2);
  if (last < 3 || rest[last - 2] !== ':' || !customerId) return undefined;
  return { customerId, kind: kind as Kind, bytes: Buffer.from(rest.slice(last + 1), 'base64') };
}

function contextOf(organizationId: string, customerId: string): string {
  return `${organizationId}/${customerId}`;
}

function kindOf(value: unknown): Kind {
  if (typeof value === 'string') return 's';
  if (Array.isArray(value)) return 'a';
  return isRecord(value) ? 'o' : 'v';
}

function placeholder(kind: Kind): unknown {
  switch (kind) {
    case 's':
      return erasedText;
    case 'a':
      return [];
    case 'o':
      return {};
    default:
      return null;
  }
}

/** A thread's summary (`thread.summary`, `thread_summary_set`): `{status, text, updated_at}`. */
function isThreadSummary(record: Record<string, unknown>): boolean {
  return typeof record.text === 'string' && 'status' in record && 'updated_at' in record;
}

/** The `messaging`/`summary` system event of an active thread's summary. */
function isSummaryEvent(record: Record<string, unknown>): boolean {
  return record.type === 'system' && record.source === 'messaging' && record.subtype === 'summary';
}

function customerUserId(record: Record<string, unknown>): string | undefined {
  return record.type === 'customer' && typeof record.id === 'string' && record.id
    ? record.id
    : undefined;
}

function customerRequesterId(record: Record<string, unknown>): string | undefined {
  return record.userType === 'customer' && typeof record.userId === 'string' && record.userId
    ? record.userId
    : undefined;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A copy with every field's value mapped. Built with Object.fromEntries, which defines each field:
 * assigning a field named `__proto__` (JSON may have one) would set the copy's prototype instead,
 * dropping the field and lending the copy whatever that value holds.
 */
function mapFields(
  record: Record<string, unknown>,
  map: (value: unknown, field: string) => unknown,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).map(([field, value]) => [field, map(value, field)]),
  );
}
