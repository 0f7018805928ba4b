import { runCli } from '@threadline/cli';
import { afterAll, describe, expect, it } from 'vitest';
import {
  aMessageBatch,
  newOrganizationId,
  publishBatch,
  registerEnabled,
  startCluster,
  startReceiver,
  waitFor,
} from '../test/harness.ts';

const cluster = await startCluster();
afterAll(() => cluster.stop());

/** The operator's `threadline` command, pointed at this test's NATS namespace and database. */
async function threadline(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env: {
      DATABASE_URL: cluster.database.url,
      NATS_URL: cluster.environment.NATS_URL,
      THREADLINE_NAMESPACE: cluster.namespace,
    },
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

async function json(...args: string[]): Promise<Record<string, unknown>> {
  const outcome = await threadline(...args);
  expect(outcome, outcome.stderr).toMatchObject({ code: 0 });
  return JSON.parse(outcome.stdout) as Record<string, unknown>;
}

describe('threadline webhooks (operator CLI over NATS)', () => {
  it('lists a dead delivery of any owner, redelivers it and replays from a time', async () => {
    let healthy = false;
    const receiver = await startReceiver(() => (healthy ? 200 : 500));
    const organizationId = newOrganizationId();
    const webhookId = await registerEnabled(cluster, organizationId, {
      url: receiver.url,
      clientId: 'an-integration',
    });
    await publishBatch(cluster, aMessageBatch(organizationId));
    const organization = ['--organization', organizationId];
    const dead = ['webhooks', 'deliveries', ...organization, '--webhook', webhookId];
    let listed: { deliveries: { id: string; created_at: string; status: string }[] } | undefined;
    await waitFor(
      async () => {
        listed = (await json(...dead, '--status', 'dead')) as typeof listed;
        return listed?.deliveries.length === 1;
      },
      'the delivery to be dead',
      15_000,
    );
    const [delivery] = listed!.deliveries;
    expect(delivery!.id).toBe(receiver.received[0]!.headers['x-threadline-webhook-id']);

    healthy = true;
    expect(await json('webhooks', 'redeliver', ...organization, delivery!.id)).toEqual({
      delivery_id: delivery!.id,
      redelivered: true,
    });
    await waitFor(() => receiver.received.length === 5, 'the redelivery');
    expect(receiver.received[4]!.headers['x-threadline-webhook-id']).toBe(delivery!.id);

    const replay = ['webhooks', 'replay', ...organization, '--webhook', webhookId];
    expect(await json(...replay, '--from', delivery!.created_at)).toEqual({ replayed: 1 });
    await waitFor(() => receiver.received.length === 6, 'the replay');
    expect(receiver.received[5]!.headers['x-threadline-webhook-id']).toBe(delivery!.id);
    await receiver.close();
  });

  it("reports the service's errors and usage mistakes on stderr with exit code 1", async () => {
    const organization = ['--organization', newOrganizationId()];
    const missing = await threadline('webhooks', 'redeliver', ...organization, 'f'.repeat(32));
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toContain('not_found: Delivery not found');
    const badTime = await threadline(
      'webhooks',
      'replay',
      ...organization,
      '--webhook',
      'f'.repeat(32),
      '--from',
      'yesterday',
    );
    expect(badTime).toMatchObject({ code: 1 });
    expect(badTime.stderr).toContain('validation');
    const noFrom = await threadline('webhooks', 'replay', ...organization, '--webhook', 'w');
    expect(noFrom.stderr).toContain('--from is required');
    const extra = await threadline('webhooks', 'redeliver', ...organization, 'a', 'b');
    expect(extra.stderr).toContain("Unexpected argument 'b'");
  });
});
