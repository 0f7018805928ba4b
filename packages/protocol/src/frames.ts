import { z } from 'zod';
import type { ErrorEnvelope } from './errors.ts';

/** An RTM request frame (spec §1.4). */
export const requestFrameSchema = z.object({
  action: z.string().min(1).max(128),
  payload: z.unknown().optional(),
  request_id: z.string().max(256).optional(),
  version: z.string().max(16).optional(),
});
export type RequestFrame = z.infer<typeof requestFrameSchema>;

export interface ResponseFrame {
  request_id?: string;
  action: string;
  type: 'response';
  success: boolean;
  payload: unknown;
}

export interface PushFrame {
  request_id?: string;
  version: string;
  action: string;
  type: 'push';
  payload: unknown;
}

export function successFrame(action: string, payload: unknown, requestId?: string): ResponseFrame {
  return withRequestId({ action, type: 'response', success: true, payload }, requestId);
}

export function failureFrame(
  action: string,
  error: ErrorEnvelope,
  requestId?: string,
): ResponseFrame {
  return withRequestId({ action, type: 'response', success: false, payload: error }, requestId);
}

export function pushFrame(
  version: string,
  action: string,
  payload: unknown,
  requestId?: string,
): PushFrame {
  return withRequestId({ version, action, type: 'push', payload }, requestId);
}

function withRequestId<T extends object>(
  frame: T,
  requestId?: string,
): T & { request_id?: string } {
  return requestId === undefined ? frame : { request_id: requestId, ...frame };
}
