import type { Identity } from '@threadline/accounts';
import { describe, expect, it } from 'vitest';
import { withCustomerProfile } from './customer-profile.ts';

const customer: Identity = {
  organizationId: 'org',
  userId: 'c1',
  userType: 'customer',
  name: 'Customer',
  email: '',
  avatar: '',
  jobTitle: '',
  groupIds: [],
  role: undefined,
  maxChatsCount: 0,
  clientId: 'widget',
  credential: 'bearer',
  expiresAt: undefined,
};

describe('withCustomerProfile', () => {
  it("takes the name, email and avatar of an update about the session's customer", () => {
    expect(
      withCustomerProfile(customer, { id: 'c1', name: 'Carla', email: 'c@x.io', phone: '1' }),
    ).toEqual({ ...customer, name: 'Carla', email: 'c@x.io' });
  });

  it('leaves other customers, agents and updates of other fields alone', () => {
    expect(withCustomerProfile(customer, { id: 'c2', name: 'Other' })).toBeUndefined();
    expect(withCustomerProfile(customer, { id: 'c1', session_fields: [] })).toBeUndefined();
    const agent = { ...customer, userType: 'agent' as const };
    expect(withCustomerProfile(agent, { id: 'c1', name: 'Carla' })).toBeUndefined();
  });
});
