import fc from 'fast-check';

/**
 * Hostile input for the gateway, as fast-check arbitraries: what an attacker or a broken client
 * can put on the wire. Pure: the fuzz test (hostile-input.e2e.test.ts) sends it and judges the
 * answers. Values are built as plain data and serialized at the end, so a case prints readably
 * when it fails.
 */

/** Key an object literal cannot hold as its own property; set so JSON.stringify writes it. */
function withOwnKey(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return target;
}

/** A property that would show on every object if a payload reached Object.prototype. */
export const pollutionCanary = 'hostile_input_canary';

export const pollutionKeys = ['__proto__', 'constructor', 'prototype'] as const;

/** `{"__proto__":{canary:…}}`, `{"constructor":{"prototype":{canary:…}}}` and the like. */
const polluting: fc.Arbitrary<unknown> = fc.constantFrom(...pollutionKeys).map((key) => {
  const inner = { [pollutionCanary]: 'polluted' };
  const value = key === 'constructor' ? withOwnKey({}, 'prototype', inner) : inner;
  return withOwnKey({}, key, value);
});

/**
 * Nesting thousands of levels deep is written into the JSON text (`serialize`) rather than built
 * as objects: JSON.stringify would overflow this process's stack on it first.
 */
const deepMarker = /"@@deep:(\d+):(array|object)@@"/g;

function deepText(depth: number, kind: string): string {
  const [open, close] = kind === 'array' ? ['[', ']'] : ['{"a":', '}'];
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}

/** JSON text of a generated value, deep-nesting markers expanded. */
export function serialize(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(deepMarker, (_match, depth, kind) =>
    deepText(Number(depth), kind),
  );
}

const awkwardStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\ud800', // a lone surrogate: not encodable as UTF-8, JSON.stringify escapes it
  '\u202e\u0301',
  '__proto__',
  'constructor',
  '../../../etc/passwd',
  '%00',
  // NATS subject tokens and separators, SQL and path syntax: ids end up in all of them.
  'a.b',
  '*',
  '>',
  'a b',
  "' OR '1'='1",
  '/',
  '0',
  '-1',
  'null',
  'true',
  '1e999',
  'a'.repeat(256),
  'a'.repeat(257),
);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 4, arbitrary: awkwardStrings },
  // Around the limits of message text (16 KB) and of ids, and far past them.
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(64, 65, 16_384, 16_385, 70_000, 300_000)
      .map((length) => 'ż'.repeat(Math.ceil(length / 2)).slice(0, length)),
  },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    -1,
    0,
    -0,
    0.5,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53 + 2,
    Number.MAX_SAFE_INTEGER,
    1e308,
    -1e308,
    5e-324,
  ),
);

const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  hostileNumber,
  hostileString,
  // Fresh each time: a later mutation may add to it.
  fc.constantFrom('[]', '{}').map((text) => JSON.parse(text) as unknown),
);

/** Any value a field could be given instead of the right one. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: hostileLeaf },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: polluting },
  {
    weight: 3,
    arbitrary: fc
      .record({
        depth: fc.constantFrom(50, 1_000, 10_000),
        kind: fc.constantFrom('array', 'object'),
      })
      .map(({ depth, kind }) => `@@deep:${depth}:${kind}@@`),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({
        length: fc.constantFrom(101, 201, 1_001, 50_000),
        item: fc.oneof(fc.constant(null), hostileNumber, fc.string({ maxLength: 8 })),
      })
      .map(({ length, item }) => Array.from({ length }, () => item)),
  },
);

/** Field names real payloads use, so added fields land where handlers look. */
const fieldNames = fc.constantFrom(
  ...pollutionKeys,
  'id',
  'chat_id',
  'thread_id',
  'event_id',
  'event',
  'events',
  'text',
  'type',
  'properties',
  'access',
  'group_ids',
  'ids',
  'filters',
  'limit',
  'page_id',
  'customer_id',
  'user_id',
  'name',
  'email',
  'fields',
  'url',
  'owner_client_id',
  'action',
  'secret_key',
  'target',
  'token',
  'agents',
  'role',
);

type Path = string[];

function pathsOf(value: unknown, path: Path = [], into: Path[] = []): Path[] {
  into.push(path);
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...path, key], into);
  }
  return into;
}

interface Mutation {
  at: number;
  /** `text`: a string stays a string, a hostile one (reaches further than a wrong type). */
  op: 'replace' | 'text' | 'delete' | 'add';
  key: string;
  value: unknown;
  text: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'replace', 'text', 'text', 'delete', 'add'),
  key: fieldNames,
  value: hostileValue,
  text: hostileString,
});

function valueAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, step) => (node as Record<string, unknown>)[step], root);
}

/** The seed with each mutation applied at one of its paths (the root included). */
export function mutate(seed: unknown, mutations: Mutation[]): unknown {
  let root = structuredClone(seed);
  for (const { at, op, key, value: drawn, text } of mutations) {
    const paths = pathsOf(root);
    const path = paths[at % paths.length]!;
    const value = op === 'text' && typeof valueAt(root, path) === 'string' ? text : drawn;
    if (path.length === 0) {
      if (op === 'replace') root = value;
      else if (typeof root === 'object' && root !== null && !Array.isArray(root)) {
        if (op === 'add') withOwnKey(root as Record<string, unknown>, key, value);
      }
      continue;
    }
    const parent = valueAt(root, path.slice(0, -1)) as Record<string, unknown>;
    const last = path[path.length - 1]!;
    if (op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (op === 'add' && typeof parent[last] === 'object' && parent[last] !== null) {
      const target = parent[last] as Record<string, unknown>;
      if (Array.isArray(target)) target.push(value);
      else withOwnKey(target, key, value);
    } else {
      parent[last] = value;
    }
  }
  return root;
}

/** A seed payload with one to three hostile changes. */
export function mutatedPayload(seed: unknown): fc.Arbitrary<unknown> {
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((list) => mutate(seed, list));
}

/** What goes on the wire: text (a text frame, a body) or bytes (maybe not UTF-8, maybe binary). */
export type Wire = { text: string } | { bytes: Uint8Array; binary: boolean };

const invalidUtf8 = fc.constantFrom(
  [0xff],
  [0xc3, 0x28],
  [0xe2, 0x28, 0xa1],
  [0xf0, 0x90, 0x28, 0xbc],
  [0xc0, 0xaf], // overlong '/'
  [0xed, 0xa0, 0x80], // an encoded surrogate
  [0xf8, 0x88, 0x80, 0x80, 0x80],
);

/**
 * Wire-level hostility around a request's JSON text: cut short, garbage after it, invalid
 * UTF-8 inside it, nested thousands of levels deep, numbers JSON cannot hold, sent as binary.
 */
export function rawWire(validJson: string, maxBytes: number): fc.Arbitrary<Wire> {
  const encoder = new TextEncoder();
  return fc.oneof(
    fc.nat().map((cut) => ({ text: validJson.slice(0, cut % Math.max(validJson.length, 1)) })),
    fc.string({ maxLength: 60 }).map((garbage) => ({ text: `${validJson}${garbage}x` })),
    fc.string({ unit: 'binary', maxLength: 60 }).map((text) => ({ text })),
    fc
      .constantFrom('', 'null', '[]', '"login"', '42', 'true', '{}', '{"action":null}')
      .map((text) => ({
        text,
      })),
    fc.record({ at: fc.nat(), bytes: invalidUtf8 }).map(({ at, bytes }) => {
      const valid = encoder.encode(validJson);
      const split = at % (valid.length + 1);
      const wire = new Uint8Array([...valid.slice(0, split), ...bytes, ...valid.slice(split)]);
      return { bytes: wire, binary: false };
    }),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ bytes, binary: true })),
    fc.constant({ bytes: encoder.encode(validJson), binary: true }),
    fc
      .record({
        depth: fc.constantFrom(1_000, 10_000, 100_000),
        kind: fc.constantFrom('array', 'object'),
      })
      .map(({ depth, kind }) => ({
        text: validJson.replace(/^\{/, `{"deep":${deepText(depth, kind)},`),
      })),
    fc
      .constantFrom(
        '1e999999',
        '-1e999999',
        '123456789012345678901234567890123456789',
        '1e-999999',
        '-0',
      )
      .map((number) => ({ text: validJson.replace(/^\{/, `{"n":${number},"limit":${number},`) })),
    // Just past the size limit, with a valid request inside.
    fc.constant({ text: validJson.replace(/^\{/, `{"pad":"${'p'.repeat(maxBytes)}",`) }),
  );
}
