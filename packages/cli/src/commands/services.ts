import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Bus,
  callService,
  connectBus,
  createSubjects,
  publishTokenRevoked,
  type TokenRevocation,
} from '@threadline/bus';
import { Command as ServiceCommand } from '@threadline/contracts';

/** The platform's services as an operator reaches them: over NATS, as the gateway does. */
export interface Services {
  /** Runs a webhook service method for an organization, as its operator (any owner). */
  webhooks(organizationId: string, action: string, payload: object): Promise<unknown>;
  /** Runs a chat-store command for an organization, as its operator (`erase_customer`). */
  chatStore(organizationId: string, action: string, payload: object): Promise<unknown>;
  /** Ends the RTM sessions logged in with a revoked token, on every gateway (`publishTokenRevoked`). */
  tokenRevoked(revocation: TokenRevocation): Promise<void>;
  /** Runs chat-store's projections tool (`rebuild`, `dump`) with this environment. */
  projections(args: string[]): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export const defaultNatsUrl = 'nats://127.0.0.1:4222';

/** Who the operator is to the services (and in the erasure audit). */
export const operatorId = 'threadline-cli';

/**
 * Connects on first use (most admin commands only need the accounts database), to NATS_URL with
 * THREADLINE_NAMESPACE's subjects. The requester is `system`: the operator is not an OAuth client,
 * so the webhook service lets it act on every webhook of the organization.
 */
export function createServices(env: Record<string, string | undefined>): Services {
  let bus: Promise<Bus> | undefined;
  const subjects = createSubjects(env.THREADLINE_NAMESPACE || 'tl');
  const connected = () => {
    bus ??= connectBus({ url: env.NATS_URL || defaultNatsUrl, name: 'threadline-cli' });
    return bus;
  };
  async function call(subject: string, organizationId: string, action: string, payload: object) {
    const command = ServiceCommand.fromPartial({
      commandId: randomUUID(),
      requester: { organizationId, userId: operatorId, userType: 'system' },
      action,
      payloadJson: JSON.stringify(payload),
      issuedAt: new Date().toISOString(),
    });
    // Generous: an erasure re-projects every chat of the customer before it answers.
    return callService((await connected()).connection, subject, command, { timeoutMs: 120_000 });
  }
  return {
    webhooks: (organizationId, action, payload) =>
      call(subjects.webhookExecute, organizationId, action, payload),
    chatStore: (organizationId, action, payload) =>
      call(subjects.chatStoreExecute, organizationId, action, payload),
    async tokenRevoked(revocation) {
      const { connection } = await connected();
      publishTokenRevoked(connection, subjects, revocation);
      // Flushed: the server has the message before the command answers that it was sent.
      await connection.flush();
    },
    projections: (args) => runChatStoreTool('projections.ts', args, env),
    async close() {
      const connected = await bus?.catch(() => undefined);
      await connected?.connection.drain();
    },
  };
}

const chatStoreTools = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../services/chat-store/src/tools',
);

/**
 * Runs one of chat-store's tools as a child process: a package may not import a service, and a
 * projections rebuild lasts as long as the history is long, which a request to a running replica
 * would tie to that replica's lifetime and a reply timeout. The tool needs Postgres and NATS, not
 * a running chat-store. Its progress goes to our stderr; its one JSON object is the answer.
 */
function runChatStoreTool(
  file: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(chatStoreTools, file), ...args], {
    cwd: chatStoreTools,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as Record<string, unknown>);
      else reject(new Error(stdout.trim() || `chat-store's ${file} exited with ${code}`));
    });
  });
}
