import { routingProperties, routingPropertiesNamespace } from '@threadline/protocol';
import type {
  PropertyAccess,
  PropertyAccessType,
  PropertyConfig,
  PropertyLocation,
  PropertyType,
} from './property-values.ts';

/**
 * The properties every LiveChat license has without registering them (LiveChat's "Default
 * properties" reference): the `test` namespace, and the namespaces LiveChat's own apps and SDKs
 * write, such as `rating` (the customer SDK's `rateChat`). Nobody owns them, so they behave as
 * published: what a requester may do is only their `access`, which no one can change.
 */

type Kind = 'agent' | 'customer';
type Rights = 'r' | 'w' | 'rw';
type Grant = [Kind, Rights, string];

const rightsByLetter: Record<string, PropertyAccessType> = { r: 'read', w: 'write' };

/** `accessOf(['customer', 'rw', 'chat thread'], …)`: rights per kind of user and location. */
function accessOf(...grants: Grant[]): PropertyAccess {
  const access: PropertyAccess = {};
  for (const [kind, rights, locations] of grants) {
    for (const location of locations.split(' ') as PropertyLocation[]) {
      const granted = [...rights].map((letter) => rightsByLetter[letter] as PropertyAccessType);
      access[location] = { ...access[location], [kind]: granted };
    }
  }
  return access;
}

function builtIn(
  namespace: string,
  name: string,
  type: PropertyType,
  access: PropertyAccess,
  domain?: unknown[],
): PropertyConfig {
  return {
    ownerClientId: namespace,
    name,
    type,
    description: '',
    access,
    domain,
    range: undefined,
    defaultValue: undefined,
    publicAccess: ['read', 'write'],
  };
}

const everywhere = 'chat thread event license group';
const chatToEvent = 'chat thread event';

/** The same rights for agents and customers. */
const everyone = (rights: Rights, locations: string) =>
  accessOf(['agent', rights, locations], ['customer', rights, locations]);
const agents = (rights: Rights, locations: string) => accessOf(['agent', rights, locations]);
const customers = (rights: Rights, locations: string) => accessOf(['customer', rights, locations]);
const agentsReadCustomersWrite = (locations: string) =>
  accessOf(['agent', 'r', locations], ['customer', 'rw', locations]);
const agentsWriteCustomersRead = (locations: string) =>
  accessOf(['agent', 'rw', locations], ['customer', 'r', locations]);
const greetingAccess = accessOf(
  ['agent', 'r', 'thread event'],
  ['customer', 'rw', 'thread'],
  ['customer', 'r', 'event'],
);

/** LiveChat gives every license these, readable and writable by everyone everywhere. */
export const testPropertyConfigs: readonly PropertyConfig[] = (
  [
    ['bool_property', 'bool'],
    ['int_property', 'int'],
    ['string_property', 'string'],
    ['tokenized_string_property', 'tokenized_string'],
  ] as const
).map(([name, type]) => builtIn('test', name, type, everyone('rw', everywhere)));

const formTypes = ['prechat', 'postchat', 'ticket'];
const urlDetails = [
  ['description', 'string'],
  ['image_height', 'int'],
  ['image_width', 'int'],
  ['image_url', 'string'],
  ['title', 'string'],
  ['url', 'string'],
] as const;

/** LiveChat's default chat, thread and event properties, with their documented access. */
export const defaultPropertyConfigs: readonly PropertyConfig[] = [
  builtIn('lc2', 'file_safety_confirmation', 'bool', agents('rw', 'event')),
  builtIn('lc2', 'form_type', 'string', agentsReadCustomersWrite('event'), formTypes),
  builtIn('lc2', 'greeting_id', 'int', greetingAccess),
  builtIn('lc2', 'greeting_unique_id', 'string', greetingAccess),
  builtIn('lc2', 'welcome_author_id', 'string', customers('rw', 'chat thread')),
  builtIn('lc2', 'welcome_message', 'bool', everyone('r', 'event')),
  builtIn('lc2', 'welcome_text', 'string', customers('rw', 'chat thread')),
  builtIn('rating', 'comment', 'string', agentsReadCustomersWrite(chatToEvent)),
  builtIn('rating', 'score', 'int', agentsReadCustomersWrite(chatToEvent), [0, 1]),
  builtIn('routing', 'continuous', 'bool', everyone('r', 'chat thread')),
  builtIn('routing', 'email_follow_up', 'bool', agentsReadCustomersWrite('chat')),
  builtIn('routing', 'idle', 'bool', agents('r', 'thread')),
  builtIn('routing', 'last_transfer_timestamp', 'int', agents('r', 'thread')),
  builtIn('routing', 'offline_message', 'bool', agentsReadCustomersWrite('thread')),
  builtIn('routing', 'pinned', 'bool', accessOf(['agent', 'r', 'thread'], ['agent', 'rw', 'chat'])),
  builtIn('routing', 'was_pinned', 'bool', agents('r', 'chat')),
  builtIn('routing', 'ignore_agents_routing', 'bool', everyone('rw', 'chat')),
  builtIn('routing', 'ignore_bots', 'bool', customers('w', 'thread')),
  builtIn('routing', 'unassigned', 'bool', agents('r', 'chat thread')),
  builtIn('routing', 'unreplied', 'bool', agents('r', 'thread')),
  builtIn('routing', 'referrer', 'string', agents('r', 'thread')),
  builtIn('routing', 'start_url', 'string', everyone('r', 'thread')),
  builtIn('routing', 'transcript_email', 'string', agentsReadCustomersWrite('thread')),
  builtIn('source', 'client_id', 'string', everyone('r', chatToEvent)),
  builtIn('source', 'customer_client_id', 'string', everyone('r', 'chat thread')),
  ...urlDetails.map(([name, type]) => builtIn('url_details', name, type, everyone('rw', 'event'))),
  builtIn('status', 'delivered', 'bool', everyone('rw', 'event')),
  builtIn('translation', 'source_lang_code', 'string', agentsWriteCustomersRead('event')),
  builtIn('translation', 'target_lang_code', 'string', agentsWriteCustomersRead('event')),
  builtIn('translation', 'target_message', 'tokenized_string', agentsWriteCustomersRead('event')),
];

/**
 * LiveChat's routing settings, properties of namespace `chats` at the license and group
 * locations: agents read them, managers (checked by the Configuration API) write them.
 */
export const routingPropertyConfigs: readonly PropertyConfig[] = Object.entries(
  routingProperties,
).map(([name, definition]) => ({
  ownerClientId: routingPropertiesNamespace,
  name,
  type: definition.type,
  description: definition.description,
  access: {
    license: { agent: ['read', 'write'] },
    group: { agent: ['read', 'write'] },
  },
  domain: undefined,
  range: 'range' in definition ? definition.range : undefined,
  defaultValue: definition.defaultValue,
  publicAccess: ['read', 'write'],
}));

/**
 * The websites allowed to open the organization's customer connections (LiveChat's "trusted
 * domains", which its widget configuration lists as `allowed_domains`): a string of domains
 * separated by commas or spaces, none meaning every website. LiveChat sets them in its agent app
 * through an internal API; Threadline has managers set them with the Configuration API's
 * `update_license_properties` (`{"security": {"allowed_domains": "example.com"}}`), as it does
 * the routing settings. The gateway enforces them (its domain/allowed-origins.ts).
 */
export const allowedDomainsProperty = { namespace: 'security', name: 'allowed_domains' } as const;

const securityPropertyConfigs: readonly PropertyConfig[] = [
  builtIn(allowedDomainsProperty.namespace, allowedDomainsProperty.name, 'string', {
    license: { agent: ['read', 'write'] },
  }),
];

/** Every property an organization has before registering any. */
export const builtInPropertyConfigs: readonly PropertyConfig[] = [
  ...testPropertyConfigs,
  ...defaultPropertyConfigs,
  ...routingPropertyConfigs,
  ...securityPropertyConfigs,
];
