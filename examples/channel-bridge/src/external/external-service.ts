import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A stand-in for an external messaging service (think of a messenger's business API), so the
 * bridge has something real to talk to without anything leaving the machine. Its users write to
 * the business and read what the business sent them; the business (the bridge) reads its users'
 * messages as an ordered update log (`GET /bot/updates`, long polling, Telegram style: it passes
 * the next `update_id` it wants, so nothing is lost while it is down) and sends with
 * `POST /bot/messages`, where an `idempotency_key` that was already used sends nothing new.
 * Everything lives in memory.
 */
export interface ExternalMessage {
  message_id: string;
  user_id: string;
  text: string;
  sent_at: string;
}

export interface Update {
  update_id: number;
  message: ExternalMessage & { user: { id: string; name: string } };
}

export function createExternalService(options: { apiToken: string }): Server {
  const users = new Map<string, { id: string; name: string; inbox: ExternalMessage[] }>();
  const updates: Update[] = [];
  const sentByKey = new Map<string, ExternalMessage>();
  const waiters = new Set<() => void>();

  const routes: Record<string, (request: Request) => unknown> = {
    'GET /healthz': () => ({}),
    'POST /users': ({ body }) => {
      const user = { id: randomUUID(), name: String(body.name ?? 'Someone'), inbox: [] };
      users.set(user.id, user);
      return { id: user.id };
    },
    'POST /users/:id/messages': ({ params, body }) => {
      const user = requireUser(params.id);
      const message = newMessage(user.id, String(body.text ?? ''));
      updates.push({
        update_id: updates.length + 1,
        message: { ...message, user: { id: user.id, name: user.name } },
      });
      for (const wake of waiters) wake();
      return { message_id: message.message_id };
    },
    'GET /users/:id/inbox': ({ params }) => ({ messages: requireUser(params.id).inbox }),
    'GET /bot/updates': async ({ query, authorized }) => {
      requireBot(authorized);
      const offset = Number(query.get('offset') ?? 1);
      const timeoutMs = Math.min(Number(query.get('timeout') ?? 0), 30) * 1000;
      if (updates.length < offset && timeoutMs > 0) await nextUpdate(timeoutMs);
      return { updates: updates.slice(Math.max(offset, 1) - 1, Math.max(offset, 1) - 1 + 100) };
    },
    'POST /bot/messages': ({ body, authorized }) => {
      requireBot(authorized);
      const key = typeof body.idempotency_key === 'string' ? body.idempotency_key : undefined;
      const earlier = key ? sentByKey.get(key) : undefined;
      if (earlier) return { message_id: earlier.message_id };
      const user = requireUser(String(body.user_id));
      const message = newMessage(user.id, String(body.text ?? ''));
      user.inbox.push(message);
      if (key) sentByKey.set(key, message);
      return { message_id: message.message_id };
    },
  };

  function requireUser(id: string | undefined) {
    const user = id ? users.get(id) : undefined;
    if (!user) throw new HttpError(404, 'no such user');
    return user;
  }

  function requireBot(authorized: boolean) {
    if (!authorized) throw new HttpError(401, 'bad API token');
  }

  function nextUpdate(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      waiters.add(wake);
    });
  }

  return createServer((request, response) => {
    handle(request, options.apiToken, routes)
      .then((result) => reply(response, 200, result))
      .catch((error: unknown) =>
        error instanceof HttpError
          ? reply(response, error.status, { error: error.message })
          : reply(response, 500, { error: String(error) }),
      );
  });
}

interface Request {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  authorized: boolean;
}

class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function newMessage(userId: string, text: string): ExternalMessage {
  return { message_id: randomUUID(), user_id: userId, text, sent_at: new Date().toISOString() };
}

async function handle(
  request: IncomingMessage,
  apiToken: string,
  routes: Record<string, (request: Request) => unknown>,
): Promise<unknown> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const segments = url.pathname.split('/').filter(Boolean);
  for (const [route, run] of Object.entries(routes)) {
    const [method, path = ''] = route.split(' ');
    const pattern = path.split('/').filter(Boolean);
    if (method !== request.method || pattern.length !== segments.length) continue;
    const params = matchPath(pattern, segments);
    if (!params) continue;
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    return run({
      params,
      query: url.searchParams,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      authorized: request.headers.authorization === `Bearer ${apiToken}`,
    });
  }
  throw new HttpError(404, 'no such route');
}

/** The `:name` segments of a matching path, or undefined when the path does not match. */
function matchPath(pattern: string[], segments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return undefined;
  }
  return params;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
