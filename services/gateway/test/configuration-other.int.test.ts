import {
  createClient,
  createCustomer,
  findCompanyDetails,
  findOrganizationByName,
  issueCustomerToken,
} from '@threadline/accounts';
import { describe, expect, it } from 'vitest';
import { fails, ok, useConfigurationWorld } from './configuration-client.ts';

const world = useConfigurationWorld();

/** A widget's cookie grant, as LiveChat's customer-auth posts it. */
async function widgetToken(clientId: string): Promise<number> {
  const response = await fetch(`${world.harness.gateway.url}/v2/customer/token`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify({
      grant_type: 'cookie',
      response_type: 'token',
      client_id: clientId,
      organization_id: world.harness.organization.id,
    }),
  });
  return response.status;
}

async function versioned(version: string, action: string, payload: unknown) {
  const response = await fetch(
    `${world.harness.gateway.url}/v${version}/configuration/action/${action}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: world.admin },
      body: JSON.stringify(payload),
    },
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('list_channels', () => {
  it('lists the channels customers came through, each from its first customer on', async () => {
    expect(await ok(world.call(world.norma, 'list_channels'))).toEqual([]);
    const { harness } = world;
    // A back end that brought a customer a day ago: an integration, named by its client id.
    const bridge = await createClient(harness.db, {
      organizationId: harness.organization.id,
      name: 'Messenger bridge',
      kind: 'server',
    });
    const customer = await createCustomer(harness.db, { organizationId: harness.organization.id });
    const dayAgo = new Date(Date.now() - 86_400_000);
    await issueCustomerToken(harness.db, {
      organizationId: harness.organization.id,
      customerId: customer.id,
      clientId: bridge.id,
      now: dayAgo,
    });
    const before = Date.now();
    expect(await widgetToken(harness.widget.id)).toBe(200);
    expect(await widgetToken(harness.widget.id)).toBe(200);
    // A second widget client joins the one `code` channel, active since the earliest of them.
    const otherSite = await createClient(harness.db, {
      organizationId: harness.organization.id,
      name: 'Second site',
    });
    expect(await widgetToken(otherSite.id)).toBe(200);

    const channels = (await ok(world.call(world.norma, 'list_channels'))) as unknown as {
      channel_type: string;
      channel_subtype: string;
      first_activity_timestamp: string;
    }[];
    expect(channels).toEqual([
      {
        channel_type: 'integration',
        channel_subtype: bridge.id,
        first_activity_timestamp: dayAgo.toISOString().replace(/\.\d+Z$/, 'Z'),
      },
      { channel_type: 'code', channel_subtype: '', first_activity_timestamp: expect.any(String) },
    ]);
    const codeSince = Date.parse(channels[1]?.first_activity_timestamp ?? '');
    expect(codeSince).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(codeSince).toBeLessThanOrEqual(Date.now());
    // Another organization sees none of them.
    expect(await ok(world.call(world.stranger, 'list_channels'))).toEqual([]);
  });
});

describe('get_product_source', () => {
  it('answers that no activation source was passed, to every agent of any organization', async () => {
    const none = { source_id: '', source_type: '', source_url: '' };
    for (const caller of [world.admin, world.norma, world.stranger]) {
      expect(await ok(world.call(caller, 'get_product_source'))).toEqual(none);
    }
    await fails(world.call(undefined, 'get_product_source'), 'authentication', 401);
    await fails(world.call(world.admin, 'get_product_source', ['source']), 'validation', 400);
  });
});

describe('check_product_limits_for_plan', () => {
  it('finds nothing over any plan (Threadline has no plans) and is for managers', async () => {
    for (const plan of ['starter', 'team', 'enterprise', 'enterpriseplus']) {
      expect(await ok(world.call(world.admin, 'check_product_limits_for_plan', { plan }))).toEqual(
        [],
      );
    }
    const refusals = [
      [world.admin, 'free', 'validation', 400],
      [world.norma, 'team', 'authorization', 403],
    ] as const;
    for (const [caller, plan, type, status] of refusals) {
      await fails(world.call(caller, 'check_product_limits_for_plan', { plan }), type, status);
    }
  });
});

describe('reactivate_email', () => {
  it('answers for an agent of the organization (no e-mail is ever sent, so none bounced)', async () => {
    expect(
      await ok(world.call(world.admin, 'reactivate_email', { agent_id: 'normal@harness.test' })),
    ).toEqual({});
    const refusals = [
      [world.admin, 'nobody@harness.test', 'not_found', 404],
      [world.stranger, 'normal@harness.test', 'not_found', 404],
      [world.norma, 'normal@harness.test', 'authorization', 403],
    ] as const;
    for (const [caller, agentId, type, status] of refusals) {
      await fails(world.call(caller, 'reactivate_email', { agent_id: agentId }), type, status);
    }
  });
});

describe('update_company_details', () => {
  it('stores the given details over earlier ones, for managers of the organization only', async () => {
    const { harness } = world;
    await ok(
      world.call(world.admin, 'update_company_details', {
        enrich: true,
        company: 'Harness Ltd',
        url: 'www.harness.test',
        city: 'Gdańsk',
      }),
    );
    await ok(world.call(world.admin, 'update_company_details', { city: 'Sopot', nip: '123' }));
    // `enrich` looks nothing up: only what was given is stored.
    expect(await findCompanyDetails(harness.db, harness.organization.id)).toEqual({
      company: 'Harness Ltd',
      url: 'www.harness.test',
      city: 'Sopot',
      nip: '123',
    });
    const refusals = [
      [world.admin, 42, 'validation', 400],
      [world.norma, 'Mine now', 'authorization', 403],
    ] as const;
    for (const [caller, company, type, status] of refusals) {
      await fails(world.call(caller, 'update_company_details', { company }), type, status);
    }
    await ok(world.call(world.stranger, 'update_company_details', { company: 'Elsewhere Inc' }));
    expect(await findCompanyDetails(harness.db, harness.organization.id)).toMatchObject({
      company: 'Harness Ltd',
    });
    const elsewhere = await findOrganizationByName(harness.db, 'Elsewhere');
    expect(await findCompanyDetails(harness.db, elsewhere?.id ?? '')).toEqual({
      company: 'Elsewhere Inc',
    });
  });
});

describe('versions', () => {
  it('serves channels, plan limits and the product source from 3.5, e-mail and company details from 3.6', async () => {
    expect((await versioned('3.5', 'list_channels', {})).status).toBe(200);
    expect(await versioned('3.4', 'list_channels', {})).toMatchObject({
      status: 404,
      body: { error: { type: 'not_found' } },
    });
    expect(await versioned('3.4', 'check_product_limits_for_plan', { plan: 'team' })).toMatchObject(
      { status: 404 },
    );
    expect((await versioned('3.5', 'get_product_source', {})).status).toBe(200);
    expect(await versioned('3.4', 'get_product_source', {})).toMatchObject({
      status: 404,
      body: { error: { type: 'not_found' } },
    });
    expect(
      await versioned('3.5', 'reactivate_email', { agent_id: 'normal@harness.test' }),
    ).toMatchObject({ status: 404, body: { error: { type: 'not_found' } } });
    expect(await versioned('3.5', 'update_company_details', { city: 'X' })).toMatchObject({
      status: 404,
    });
    expect(
      (await versioned('3.7', 'reactivate_email', { agent_id: 'normal@harness.test' })).status,
    ).toBe(200);
  });
});
