import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import {
  type AccountsDatabase,
  accountsSchema,
  type Client,
  type CreatedAgent,
  createAgent,
  createClient,
  createOrganization,
  type Organization,
} from '@threadline/accounts';
import {
  type CommandService,
  createSubjects,
  encodePush,
  type Subjects,
  serveCommands,
} from '@threadline/bus';
import { type Command, Push } from '@threadline/contracts';
import { createDatabase, type Kysely } from '@threadline/postgres';
import { createTestDatabase, uniqueNamespace } from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { loadGatewayConfig } from '../src/config.ts';
import { type RunningGateway, startGateway } from '../src/gateway.ts';

export interface Harness {
  gateway: RunningGateway;
  db: Kysely<AccountsDatabase>;
  nats: NatsConnection;
  subjects: Subjects;
  organization: Organization;
  agent: CreatedAgent;
  widget: Client;
  /** Answers a service subject the way the owning service would, recording what it received. */
  respond(subject: string, handler: (command: Command) => unknown): Command[];
  /** Stops every `respond` of the test, so the next test's responders are the only ones. */
  stopResponders(): Promise<void>;
  publishPush(userId: string, push: Partial<Push>): Promise<void>;
  restart(environment?: Record<string, string>): Promise<void>;
  /** Another gateway on the same database and namespace (a replica behind the same balancer). */
  startReplica(environment?: Record<string, string>): Promise<RunningGateway>;
  close(): Promise<void>;
}

/**
 * A gateway in-process on a database and NATS namespace of its own, with an organization, an
 * agent and a widget client. Services behind it are stood in for by `respond` on their real
 * subjects: the gateway's boundary is what these tests examine.
 */
export async function startHarness(environment: Record<string, string> = {}): Promise<Harness> {
  const { natsUrl, databaseUrl } = testInfrastructure();
  const database = await createTestDatabase(databaseUrl);
  const namespace = uniqueNamespace('gw');
  const baseEnvironment = {
    NATS_URL: natsUrl,
    DATABASE_URL: database.url,
    THREADLINE_NAMESPACE: namespace,
    HOST: '127.0.0.1',
    PORT: '0',
    HEALTH_PORT: '0',
    LOG_LEVEL: 'silent',
    SHUTDOWN_GRACE_MS: '1000',
  };
  let gateway = await startGateway(loadGatewayConfig({ ...baseEnvironment, ...environment }));
  const db = createDatabase<AccountsDatabase>({ url: database.url, schema: accountsSchema });
  const nats = await connect({ servers: natsUrl });
  const subjects = createSubjects(namespace);
  const organization = await createOrganization(db, { name: 'Harness' });
  const agent = await createAgent(db, {
    organizationId: organization.id,
    email: 'agent@harness.test',
    name: 'Agent Smith',
    role: 'administrator',
    maxChatsCount: 7,
  });
  const widget = await createClient(db, { organizationId: organization.id, name: 'Widget' });
  const subscriptions: CommandService[] = [];
  const replicas: RunningGateway[] = [];

  return {
    get gateway() {
      return gateway;
    },
    db,
    nats,
    subjects,
    organization,
    agent,
    widget,
    respond(subject, handler) {
      const received: Command[] = [];
      subscriptions.push(
        serveCommands(
          nats,
          subject,
          'test',
          async (command) => {
            received.push(command);
            return handler(command);
          },
          () => {},
        ),
      );
      return received;
    },
    async stopResponders() {
      for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
      await nats.flush();
    },
    async publishPush(userId, push) {
      nats.publish(
        subjects.userPushes(organization.id, userId),
        encodePush(Push.fromPartial({ organizationId: organization.id, ...push })),
      );
      await nats.flush();
    },
    async restart(overrides = {}) {
      await gateway.close();
      gateway = await startGateway(loadGatewayConfig({ ...baseEnvironment, ...overrides }));
    },
    async startReplica(overrides = {}) {
      const replica = await startGateway(loadGatewayConfig({ ...baseEnvironment, ...overrides }));
      replicas.push(replica);
      return replica;
    },
    async close() {
      for (const subscription of subscriptions) subscription.unsubscribe();
      await Promise.all(replicas.map((replica) => replica.close()));
      await gateway.close();
      await nats.close();
      await db.destroy();
      await database.drop();
    },
  };
}

/** `Authorization` for the harness agent's personal access token. */
export function agentBasic(harness: Harness): string {
  return `Basic ${harness.agent.basicCredentials}`;
}

/** Resolves once `predicate` holds, polling briefly; for effects that happen after a reply. */
export async function eventually(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
