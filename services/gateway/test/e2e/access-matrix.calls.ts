import { randomInt } from 'node:crypto';
import type { CreatedAgent } from '@threadline/accounts';
import { versionHasMethod } from '@threadline/protocol';
import {
  type Credentials,
  createWebClient,
  ThreadlineApiError,
  type WebApi,
} from '@threadline/sdk';
import type { CallerContext, Targets } from './access-matrix.ts';

/** Calling the platform as one of the access matrix's callers, and comparing what it answers. */

const supportedVersions = ['3.6', '3.5', '3.7'];

export type Answer = { error: { type: string; message: string } } | { success: unknown };

export interface Caller {
  credentials: Credentials;
  organizationId: string;
  context: CallerContext;
}

/** The same characters classes at the same places: a made-up id an attacker could have typed. */
function sameShape<T extends string | number>(value: T): T {
  if (typeof value === 'number') {
    let made: number;
    do made = randomInt(10 ** (String(value).length - 1), 10 ** String(value).length);
    while (made === value);
    return made as T;
  }
  const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)]!;
  return value.replace(/[0-9a-zA-Z]/g, (character) =>
    /[0-9]/.test(character)
      ? pick('0123456789')
      : /[a-z]/.test(character)
        ? pick('abcdefghijklmnopqrstuvwxyz')
        : pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
  ) as T;
}

export function madeUp(targets: Targets): Targets {
  return Object.fromEntries(
    Object.entries(targets).map(([key, value]) => [key, key === 'tag' ? value : sameShape(value)]),
  ) as unknown as Targets;
}

/** A message with the ids it names blanked, so an echo of the caller's own input compares equal. */
export function withoutIds(message: string, targets: Targets): string {
  return Object.values(targets).reduce<string>(
    (text, value) =>
      text.replace(typeof value === 'number' ? new RegExp(`\\b${value}\\b`, 'g') : value, '<id>'),
    message,
  );
}

/** A batch answer with one item is that item's answer. */
function unwrapBatch(body: unknown): Answer {
  const responses = (body as { responses?: unknown[] } | undefined)?.responses;
  const only = Array.isArray(responses) && responses.length === 1 ? responses[0] : undefined;
  const error = (only as { error?: { type: string; message: string } } | undefined)?.error;
  return error ? { error } : { success: body };
}

export async function call(
  baseUrl: string,
  api: WebApi,
  caller: Caller,
  method: string,
  payload: unknown,
): Promise<Answer> {
  const client = createWebClient({
    baseUrl,
    api,
    // Methods 3.6 lacks (`list_customers`, …) are called in the version that has them.
    version: supportedVersions.find((version) => versionHasMethod(version, api, method)) ?? '3.6',
    credentials: caller.credentials,
    ...(api === 'customer' ? { organizationId: caller.organizationId } : {}),
  });
  try {
    return unwrapBatch(await client.call(method, payload));
  } catch (error) {
    if (!(error instanceof ThreadlineApiError)) throw error;
    return { error: { type: error.type, message: error.message } };
  }
}

export function basic(agent: CreatedAgent): Credentials {
  return { accountId: agent.agent.accountId, personalAccessToken: agent.pat };
}
