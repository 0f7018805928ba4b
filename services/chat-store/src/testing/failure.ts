import { ProtocolError } from '@threadline/protocol';
import { expect } from 'vitest';

/** The ProtocolError a call was refused with (fails the test if it succeeded). */
export async function failure(promise: Promise<unknown>): Promise<ProtocolError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProtocolError);
  return error as ProtocolError;
}
