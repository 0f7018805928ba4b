import {
  type Customer,
  type CustomerCursor,
  type CustomerListFilters,
  countCustomers,
  countGreetingDisplays,
  createCustomer,
  findActiveBan,
  findCustomer,
  findOrganization,
  followCustomer,
  listCustomerFollowers,
  listCustomers,
  setPushNotifications,
  unfollowCustomer,
} from '@threadline/accounts';
import {
  formatTimestamp,
  type MethodPayload,
  ProtocolError,
  pageOf,
  readingOrder,
  resolvePage,
} from '@threadline/protocol';
import { agentCustomerView } from '../../domain/customer-views.ts';
import { recordIncomingCustomer } from '../incoming-customer.ts';
import type { LocalMethod, LocalMethodDependencies, LocalMethods } from './local-method.ts';
import { customerChats } from './service-calls.ts';

/** Self-hosted licenses do not expire (the login's `expiration_timestamp` says the same). */
const neverExpires = new Date(Date.UTC(2100, 0, 1));

type ListCustomersFilters = NonNullable<MethodPayload<'list_customers'>['filters']>;

/**
 * Filters that need every customer's chat statistics; the accounts store cannot answer them in
 * one query, so Threadline refuses them rather than paging wrongly.
 */
const unsupportedFilters = [
  'chats_count',
  'threads_count',
  'visits_count',
  'agent_last_event_created_at',
  'customer_last_event_created_at',
] as const;

/**
 * Agent methods of 3.4/3.5 that 3.6 removed; the version layer refuses them to newer versions.
 * Customers made here are the same accounts customers the token endpoint makes.
 */
export function createLegacyAgentMethods(dependencies: LocalMethodDependencies): LocalMethods {
  const { db } = dependencies;

  const requireCustomer = async (organizationId: string, id: string): Promise<Customer> => {
    const customer = await findCustomer(db, organizationId, id);
    if (!customer) throw new ProtocolError('not_found', `Customer ${id} not found`);
    return customer;
  };

  const listCustomersMethod: LocalMethod = async ({ identity, payload }) => {
    const caller = identity!;
    const body = payload as MethodPayload<'list_customers'>;
    const unsupported = unsupportedFilters.find((name) => body.filters?.[name] !== undefined);
    if (unsupported) {
      throw new ProtocolError(
        'validation',
        `Wrong format of request: filters.${unsupported} is not supported`,
      );
    }
    const page = resolvePage<ListCustomersFilters, CustomerCursor>(body, body.filters, {
      limit: 10,
      filters: {},
    });
    const filters = page.filters as CustomerListFilters;
    const [rows, total] = await Promise.all([
      listCustomers(db, caller.organizationId, {
        filters,
        order: readingOrder(page.sortOrder, page.direction),
        limit: page.limit + 1,
        after: page.cursor,
      }),
      countCustomers(db, caller.organizationId, filters),
    ]);
    const { items, ...pageIds } = pageOf(rows, page, (customer) => ({
      createdAt: customer.createdAt.toISOString(),
      id: customer.id,
    }));
    const customers = await Promise.all(
      items.map(async (customer) => {
        const [chats, greetings, ban, followers] = await Promise.all([
          customerChats(dependencies, customer.organizationId, customer.id, { countThreads: true }),
          countGreetingDisplays(db, customer.organizationId, customer.id),
          findActiveBan(db, customer.organizationId, customer.id),
          listCustomerFollowers(db, customer.organizationId, customer.id),
        ]);
        return {
          ...agentCustomerView(customer, { ...chats, greetings }, ban !== undefined),
          followed: followers.includes(caller.userId),
        };
      }),
    );
    return { customers, total_customers: total, ...pageIds };
  };

  return {
    get_license_info: async ({ identity }) => {
      const organization = await findOrganization(db, identity!.organizationId);
      if (!organization) throw new ProtocolError('license_not_found', 'Organization not found');
      return {
        license_id: organization.licenseId,
        expires_at: formatTimestamp(neverExpires),
        created_at: formatTimestamp(organization.createdAt),
        in_trial: false,
      };
    },
    create_customer: async ({ identity, payload }) => {
      const body = payload as MethodPayload<'create_customer'>;
      const customer = await createCustomer(db, {
        organizationId: identity!.organizationId,
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.email !== undefined ? { email: body.email } : {}),
        ...(body.avatar !== undefined ? { avatar: body.avatar } : {}),
        ...(body.session_fields !== undefined ? { sessionFields: body.session_fields } : {}),
      });
      await recordIncomingCustomer(dependencies.configurationChanges, identity!, customer);
      return { customer_id: customer.id };
    },
    list_customers: listCustomersMethod,
    // A follower gets the customer's `customer_updated` pushes (see `applyChanges` in customers.ts).
    follow_customer: async ({ identity, payload }) => {
      const { id } = payload as MethodPayload<'follow_customer'>;
      const customer = await requireCustomer(identity!.organizationId, id);
      await followCustomer(db, {
        organizationId: customer.organizationId,
        customerId: customer.id,
        agentId: identity!.userId,
      });
      return {};
    },
    unfollow_customer: async ({ identity, payload }) => {
      const { id } = payload as MethodPayload<'unfollow_customer'>;
      const customer = await requireCustomer(identity!.organizationId, id);
      await unfollowCustomer(db, {
        organizationId: customer.organizationId,
        customerId: customer.id,
        agentId: identity!.userId,
      });
      return {};
    },
    // Kept per agent and device; Threadline has no mobile push provider to hand it to.
    change_push_notifications: async ({ identity, payload }) => {
      const body = payload as MethodPayload<'change_push_notifications'>;
      await setPushNotifications(db, {
        organizationId: identity!.organizationId,
        agentId: identity!.userId,
        firebaseToken: body.firebase_token,
        platform: body.platform,
        enabled: body.enabled,
      });
      return {};
    },
  };
}
