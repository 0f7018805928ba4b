import { z } from 'zod';
import { AccountsError } from './errors.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that reach a uuid column must look like one, or Postgres rejects the whole query. */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

export const nameSchema = z.string().trim().min(1).max(255);
export const emailSchema = z
  .email()
  .max(254)
  .transform((email) => email.toLowerCase());
export const roleSchema = z.enum(['owner', 'viceowner', 'administrator', 'normal']);
export const prioritySchema = z.enum(['first', 'normal', 'last', 'supervisor']);
/** Threadline's cap on concurrent chats per agent (LiveChat's docs say 20; the product says 99). */
export const maxChatsCountSchema = z.number().int().min(0).max(99);

/** Parses input with a schema, turning the first problem into an accounts `validation` error. */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
): z.infer<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new AccountsError('validation', `${where}${issue?.message ?? 'invalid input'}`);
}

/** Postgres error codes we turn into accounts errors. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}
