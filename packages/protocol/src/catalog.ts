import { ProtocolError } from './errors.ts';
import type { Api, MethodDefinition, Owner } from './methods/define.ts';
import {
  type MethodName,
  type MethodPayload,
  methodDefinitions,
  methodSchemas,
} from './methods.ts';

export type { Api, Owner };

type MethodEntry = Omit<MethodDefinition, 'schema'>;

/** Which methods each API offers and who answers them, derived from the method definitions. */
export const methodCatalog: Record<MethodName, MethodEntry> = Object.fromEntries(
  Object.entries(methodDefinitions as Record<string, MethodDefinition>).map(
    ([name, { schema: _schema, ...entry }]) => [name, entry],
  ),
) as Record<MethodName, MethodEntry>;

export function findMethod(
  api: Api,
  action: string,
): (MethodEntry & { name: MethodName }) | undefined {
  if (!Object.hasOwn(methodCatalog, action)) return undefined;
  const name = action as MethodName;
  const entry = methodCatalog[name];
  return entry.apis.includes(api) ? { ...entry, name } : undefined;
}

/** Parses a method's payload, throwing the protocol's `validation` error with the first problem. */
export function parsePayload<M extends MethodName>(method: M, payload: unknown): MethodPayload<M> {
  const result = methodSchemas[method].safeParse(payload ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new ProtocolError(
      'validation',
      `Wrong format of request: ${where}${issue?.message ?? ''}`,
    );
  }
  return result.data as MethodPayload<M>;
}
