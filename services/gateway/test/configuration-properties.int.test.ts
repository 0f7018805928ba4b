import {
  banCustomer,
  createCustomer,
  listLicenseProperties,
  maxAutoAccessesPerOrganization,
} from '@threadline/accounts';
import { describe, expect, it } from 'vitest';
import {
  connectAgent,
  fails,
  ok,
  pushOf,
  storedChanges,
  useConfigurationWorld,
} from './configuration-client.ts';

const world = useConfigurationWorld();

describe('properties', () => {
  it('registers a property, sets license and group values, and pushes the changes', async () => {
    const watcher = await connectAgent(world.harness, world.norma);
    const namespace = world.harness.widget.id;
    await ok(
      world.call(world.admin, 'register_property', {
        name: 'level',
        owner_client_id: namespace,
        type: 'int',
        access: { license: { agent: ['read', 'write'] }, group: { agent: ['read', 'write'] } },
        range: { from: 1, to: 5 },
        default_value: 1,
      }),
    );
    await fails(
      world.call(world.admin, 'register_property', {
        name: 'level',
        owner_client_id: namespace,
        type: 'int',
        access: { chat: { agent: ['read'] } },
      }),
      'already_exists',
      409,
    );
    expect(
      await ok(world.call(world.admin, 'list_properties', { owner_client_id: namespace })),
    ).toEqual({
      level: {
        type: 'int',
        description: '',
        access: { license: { agent: ['read', 'write'] }, group: { agent: ['read', 'write'] } },
        range: { from: 1, to: 5 },
        default_value: 1,
      },
    });

    expect(
      await listLicenseProperties(world.harness.db, world.harness.organization.id, { namespace }),
    ).toEqual({
      [namespace]: { level: 1 },
    });
    await ok(
      world.call(world.admin, 'update_license_properties', {
        properties: { [namespace]: { level: 3 } },
      }),
    );
    expect((await pushOf(watcher, 'license_properties_updated', {})).payload).toEqual({
      properties: { [namespace]: { level: 3 } },
    });
    expect(
      await listLicenseProperties(world.harness.db, world.harness.organization.id, { namespace }),
    ).toEqual({
      [namespace]: { level: 3 },
    });
    // The Configuration API reads them with a token (the customer API's same-named GET needs none).
    expect(
      await ok(
        world.call(world.norma, 'list_license_properties', { namespace, name_prefix: 'lev' }),
      ),
    ).toEqual({
      [namespace]: { level: 3 },
    });
    expect(
      await ok(world.call(world.norma, 'list_license_properties', { namespace, name_prefix: 'x' })),
    ).toEqual({});
    await fails(
      world.call(undefined, 'list_license_properties', { namespace }),
      'authentication',
      401,
    );
    await fails(
      world.call(world.admin, 'update_license_properties', {
        properties: { [namespace]: { level: 9 } },
      }),
      'validation',
      400,
    );
    await fails(
      world.call(world.admin, 'update_license_properties', {
        properties: { [namespace]: { unknown: 1 } },
      }),
      'validation',
      400,
    );

    await ok(
      world.call(world.admin, 'update_group_properties', {
        group_id: 0,
        properties: { [namespace]: { level: 4 } },
      }),
    );
    expect((await pushOf(watcher, 'group_properties_updated', { group_id: 0 })).payload).toEqual({
      group_id: 0,
      properties: { [namespace]: { level: 4 } },
    });
    await fails(
      world.call(world.admin, 'update_group_properties', {
        group_id: 77,
        properties: { [namespace]: { level: 4 } },
      }),
      'group_not_found',
      404,
    );
    const listed = await ok(
      world.call(world.norma, 'list_groups_properties', { group_ids: [0], namespace }),
    );
    expect(listed).toEqual([{ id: 0, properties: { [namespace]: { level: 4 } } }]);
    // 3.4's name for one group's values, still served.
    expect(
      await ok(world.call(world.norma, 'list_group_properties', { id: 0, namespace })),
    ).toEqual({
      [namespace]: { level: 4 },
    });

    await ok(
      world.call(world.admin, 'delete_group_properties', {
        id: 0,
        properties: { [namespace]: ['level'] },
      }),
    );
    await ok(
      world.call(world.admin, 'delete_license_properties', {
        properties: { [namespace]: ['level'] },
      }),
    );
    expect(
      await ok(world.call(world.norma, 'list_groups_properties', { group_ids: [0], namespace })),
    ).toEqual([{ id: 0, properties: { [namespace]: { level: 1 } } }]);
  });

  it("keeps published properties, and properties of other organizations' clients, out of reach", async () => {
    const namespace = world.harness.widget.id;
    await ok(
      world.call(world.admin, 'register_property', {
        name: 'public_flag',
        owner_client_id: namespace,
        type: 'bool',
        access: { chat: { agent: ['read'], customer: ['read', 'write'] } },
      }),
    );
    await ok(
      world.call(world.admin, 'publish_property', {
        name: 'public_flag',
        owner_client_id: namespace,
        access_type: ['read'],
      }),
    );
    const configs = await ok(
      world.call(world.admin, 'list_properties', { owner_client_id: namespace }),
    );
    expect(configs.public_flag).toMatchObject({ public_access: ['read'] });
    await fails(
      world.call(world.admin, 'unregister_property', {
        name: 'public_flag',
        owner_client_id: namespace,
      }),
      'validation',
      400,
    );
    await fails(
      world.call(world.stranger, 'list_properties', { owner_client_id: namespace }),
      'authorization',
      403,
    );
    await fails(
      world.call(world.admin, 'register_property', {
        name: 'x',
        type: 'int',
        access: { chat: { agent: ['read'] } },
      }),
      'validation',
      400,
    );
    await ok(
      world.call(world.admin, 'register_property', {
        name: 'temp',
        owner_client_id: namespace,
        type: 'string',
        access: { chat: { agent: ['read'] } },
      }),
    );
    await ok(
      world.call(world.admin, 'unregister_property', { name: 'temp', owner_client_id: namespace }),
    );
    await fails(
      world.call(world.admin, 'unregister_property', { name: 'temp', owner_client_id: namespace }),
      'not_found',
      404,
    );
  });
});

describe('auto access', () => {
  const rule = (value: string) => ({
    access: { groups: [0] },
    conditions: { domain: { values: [{ value, exact_match: true }] } },
  });

  it("keeps rules in LiveChat's linked order and pushes what moved", async () => {
    const watcher = await connectAgent(world.harness, world.norma);
    const first = (await ok(
      world.call(world.admin, 'add_auto_access', { ...rule('a.test'), description: 'A' }),
    )) as { id: string };
    const second = (await ok(world.call(world.admin, 'add_auto_access', rule('b.test')))) as {
      id: string;
    };
    const added = await watcher.waitFor(
      (frame) =>
        frame.action === 'auto_accesses_updated' &&
        JSON.stringify(frame.payload).includes(second.id),
    );
    expect(added.payload).toEqual([
      { id: first.id, next_id: second.id, status: 'updated' },
      { id: second.id, description: '', ...rule('b.test'), next_id: '', status: 'added' },
    ]);
    const list = await ok(world.call(world.norma, 'list_auto_accesses'));
    expect(list).toEqual([
      { id: first.id, description: 'A', ...rule('a.test'), next_id: second.id },
      { id: second.id, description: '', ...rule('b.test'), next_id: '' },
    ]);

    await ok(
      world.call(world.admin, 'update_auto_access', {
        id: second.id,
        next_id: first.id,
        description: 'B',
      }),
    );
    const moved = (await ok(world.call(world.norma, 'list_auto_accesses'))) as unknown as {
      id: string;
      next_id: string;
    }[];
    expect(moved.map((entry) => [entry.id, entry.next_id])).toEqual([
      [second.id, first.id],
      [first.id, ''],
    ]);
    const changes = await storedChanges(world.harness, world.harness.organization.id);
    expect(
      changes.filter((change) => change.action === 'auto_accesses_updated').at(-1)?.payload,
    ).toEqual([
      { id: second.id, description: 'B', next_id: first.id, status: 'updated' },
      { id: first.id, next_id: '', status: 'updated' },
    ]);

    await ok(world.call(world.admin, 'delete_auto_access', { id: second.id }));
    expect(await ok(world.call(world.norma, 'list_auto_accesses'))).toMatchObject([
      { id: first.id, next_id: '' },
    ]);
    await fails(world.call(world.admin, 'delete_auto_access', { id: second.id }), 'not_found', 404);
    await ok(world.call(world.admin, 'delete_auto_access', { id: first.id }));
  });

  it('refuses bad conditions, unknown groups, non-managers and rules past the limit', async () => {
    await fails(
      world.call(world.admin, 'add_auto_access', { access: { groups: [0] }, conditions: {} }),
      'validation',
      400,
    );
    await fails(
      world.call(world.admin, 'add_auto_access', { ...rule('x.test'), access: { groups: [55] } }),
      'group_not_found',
      404,
    );
    await fails(world.call(world.norma, 'add_auto_access', rule('x.test')), 'authorization', 403);
    await fails(
      world.call(world.admin, 'update_auto_access', { id: 'nope', description: 'x' }),
      'not_found',
      404,
    );
    await world.harness.db
      .insertInto('auto_accesses')
      .values(
        Array.from({ length: maxAutoAccessesPerOrganization }, (_, position) => ({
          organization_id: world.harness.organization.id,
          id: `bulk${position}`,
          position,
          access: JSON.stringify({ groups: [0] }),
          conditions: JSON.stringify({ url: { values: [{ value: 'x' }] } }),
        })),
      )
      .execute();
    await fails(
      world.call(world.admin, 'add_auto_access', rule('over.test')),
      'limit_reached',
      422,
    );
    await world.harness.db.deleteFrom('auto_accesses').where('id', 'like', 'bulk%').execute();
  });
});

describe('customer bans and license lookups', () => {
  it('lists bans in force and lifts them', async () => {
    const customer = await createCustomer(world.harness.db, {
      organizationId: world.harness.organization.id,
    });
    await banCustomer(world.harness.db, {
      organizationId: world.harness.organization.id,
      customerId: customer.id,
      days: 2,
      bannedBy: 'agent@harness.test',
    });
    const bans = (await ok(world.call(world.admin, 'list_customer_bans'))) as unknown as Record<
      string,
      string
    >[];
    expect(bans).toEqual([
      {
        customer_id: customer.id,
        agent_id: 'agent@harness.test',
        created_at: expect.stringMatching(/Z$/),
        expires_at: expect.stringMatching(/Z$/),
      },
    ]);
    expect(await ok(world.call(world.stranger, 'list_customer_bans'))).toEqual([]);
    await fails(
      world.call(world.stranger, 'unban_customer', { customer_id: customer.id }),
      'not_found',
      404,
    );
    await fails(
      world.call(world.norma, 'unban_customer', { customer_id: customer.id }),
      'authorization',
      403,
    );
    await ok(world.call(world.admin, 'unban_customer', { customer_id: customer.id }));
    await fails(
      world.call(world.admin, 'unban_customer', { customer_id: customer.id }),
      'not_found',
      404,
    );
    await fails(world.call(world.admin, 'unban_customer', { ip: '10.0.0.1' }), 'not_found', 404);
    await fails(
      world.call(world.admin, 'unban_customer', { ip: '10.0.0.1', customer_id: customer.id }),
      'validation',
      400,
    );
  });

  it('answers license and organization id lookups without a token, as GETs', async () => {
    const base = `${world.harness.gateway.url}/v3.4/configuration/action`;
    const license = await fetch(
      `${base}/get_license_id?organization_id=${world.harness.organization.id}`,
    );
    expect(await license.json()).toEqual({ license_id: world.harness.organization.licenseId });
    const organization = await fetch(
      `${base}/get_organization_id?license_id=${world.harness.organization.licenseId}`,
    );
    expect(await organization.json()).toEqual({ organization_id: world.harness.organization.id });
    const unknown = await fetch(`${base}/get_organization_id?license_id=999999999`);
    expect(unknown.status).toBe(404);
  });
});
