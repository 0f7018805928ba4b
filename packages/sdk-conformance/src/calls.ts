import { type Api, findMethod } from '@threadline/protocol';
import { expect, it } from 'vitest';

/**
 * One SDK method called against the platform. The suites list every method of an SDK this way,
 * so the list is the SDK's whole surface: a call whose protocol method Threadline does not have
 * yet is reported as a todo naming the method, never passed silently.
 */
export interface SdkCall<Client> {
  /** The SDK's name for it (`listChats`). */
  sdkMethod: string;
  /** The protocol action the SDK sends (`list_chats`). */
  action: string;
  /** Why the call is not made at all (a defect of the SDK itself). */
  sdkDefect?: string;
  run(client: Client): Promise<unknown>;
  /** Looks closer at a successful answer (every answer must at least be JSON). */
  check?(result: unknown): void;
  /** Protocol error types that are the right answer to this call as made here. */
  errors?: readonly string[];
}

/** Registers one test per call, in order (later calls may use what earlier ones created). */
export function itCalls<Client>(
  api: Api,
  calls: readonly SdkCall<Client>[],
  client: () => Client,
  options: { resultMayBeEmpty?: boolean } = {},
): void {
  for (const call of calls) {
    const title = `${call.sdkMethod} → ${call.action}`;
    if (call.sdkDefect) {
      it.skip(`${title} (not called: ${call.sdkDefect})`, () => {});
    } else if (!findMethod(api, call.action)) {
      it.todo(`${title}: Threadline has no ${api} method ${call.action} yet`);
    } else {
      it(title, async (context) => {
        const missing = await expectWellFormed(call, client(), options.resultMayBeEmpty === true);
        // In the catalog, but its handler has not landed yet: reported, never passed silently.
        if (missing) context.skip(`the gateway answers ${call.action}: ${missing}`);
      });
    }
  }
}

async function expectWellFormed<Client>(
  call: SdkCall<Client>,
  client: Client,
  resultMayBeEmpty: boolean,
): Promise<string | undefined> {
  let result: unknown;
  try {
    result = await call.run(client);
  } catch (error) {
    const type = errorType(error);
    if (type !== undefined && call.errors?.includes(type)) return undefined;
    const message = errorMessage(error);
    if (type === 'not_found' && message?.startsWith('Unknown method')) return message;
    throw new Error(`${call.action} failed: ${type ?? 'error'}: ${message ?? String(error)}`, {
      cause: error,
    });
  }
  expect(call.errors ?? [], `${call.action} should have failed`).toEqual([]);
  if (!(resultMayBeEmpty && result === undefined)) {
    expect(typeof result === 'object' && result !== null, `${call.action} answered JSON`).toBe(
      true,
    );
  }
  call.check?.(result);
  return undefined;
}

function errorMessage(error: unknown): string | undefined {
  const record = error as { message?: unknown; error?: unknown; payload?: unknown };
  if (typeof record?.message === 'string') return record.message;
  if (record?.error) return errorMessage(record.error);
  if (record?.payload) return errorMessage(record.payload);
  return undefined;
}

/**
 * The protocol error type in whatever an SDK rejects with: `{type}`, `{error:{type}}`, a whole
 * failure frame, or an Error with a `code`.
 */
export function errorType(error: unknown): string | undefined {
  const record = error as {
    type?: unknown;
    code?: unknown;
    error?: { type?: unknown };
    payload?: unknown;
  };
  // The customer SDK rejects with an Error whose `code` is the type in capitals.
  if (error instanceof Error && typeof record.code === 'string') return record.code.toLowerCase();
  if (typeof record?.type === 'string' && record.type !== 'response') return record.type;
  if (typeof record?.error?.type === 'string') return record.error.type;
  if (record?.payload) return errorType(record.payload);
  return undefined;
}
