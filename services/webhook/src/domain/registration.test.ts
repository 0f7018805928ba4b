import { ProtocolError } from '@threadline/protocol';
import { describe, expect, it } from 'vitest';
import { describeRegistration, prepareRegistration } from './registration.ts';

const context = { id: 'f'.repeat(32), organizationId: 'org-1', apiVersion: '3.6' };
const base = {
  action: 'incoming_event',
  secret_key: 'secret',
  url: 'https://example.com/hook',
  owner_client_id: 'client-1',
  type: 'license' as const,
};

function validationMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).type).toBe('validation');
    return (error as ProtocolError).message;
  }
  throw new Error('expected a validation error');
}

describe('prepareRegistration', () => {
  it('keeps the allowed filters and additional data of the action', () => {
    const registration = prepareRegistration(
      {
        ...base,
        description: 'mine',
        filters: {
          author_type: 'customer',
          chat_presence: { user_ids: { values: ['agent@example.com'] } },
          source_type: ['other_clients'],
        },
        additional_data: ['chat_properties', 'chat_presence_user_ids', 'chat_properties'],
      },
      context,
    );
    expect(registration).toMatchObject({
      id: context.id,
      organizationId: 'org-1',
      ownerClientId: 'client-1',
      action: 'incoming_event',
      description: 'mine',
      filters: {
        author_type: 'customer',
        chat_presence: { user_ids: { values: ['agent@example.com'] } },
        source_type: ['other_clients'],
      },
      additionalData: ['chat_properties', 'chat_presence_user_ids'],
    });
  });

  it('rejects an action that is not a webhook', () => {
    expect(
      validationMessage(() => prepareRegistration({ ...base, action: 'send_event' }, context)),
    ).toContain('send_event');
  });

  it('accepts only http and https URLs', () => {
    expect(prepareRegistration({ ...base, url: 'http://10.0.0.5:8080/x' }, context).url).toBe(
      'http://10.0.0.5:8080/x',
    );
    expect(
      validationMessage(() =>
        prepareRegistration({ ...base, url: 'ftp://example.com/x' }, context),
      ),
    ).toContain('url');
  });

  it('rejects author_type outside incoming_event and event_updated', () => {
    const message = validationMessage(() =>
      prepareRegistration(
        { ...base, action: 'incoming_chat', filters: { author_type: 'agent' } },
        context,
      ),
    );
    expect(message).toContain('author_type');
  });

  it('rejects chat_presence.user_ids with both values and exclude_values', () => {
    validationMessage(() =>
      prepareRegistration(
        {
          ...base,
          filters: { chat_presence: { user_ids: { values: ['a'], exclude_values: ['b'] } } },
        },
        context,
      ),
    );
  });

  it('rejects an unknown source_type and an unknown filter', () => {
    validationMessage(() =>
      prepareRegistration({ ...base, filters: { source_type: ['everyone'] } }, context),
    );
    validationMessage(() => prepareRegistration({ ...base, filters: { colour: 'blue' } }, context));
  });

  it('allows agent_ids only on routing_status_set', () => {
    expect(
      prepareRegistration(
        { ...base, action: 'routing_status_set', filters: { agent_ids: ['a@example.com'] } },
        context,
      ).filters,
    ).toEqual({ agent_ids: ['a@example.com'] });
    validationMessage(() =>
      prepareRegistration({ ...base, filters: { agent_ids: ['a@example.com'] } }, context),
    );
  });

  it('offers no additional data for agent_deleted', () => {
    validationMessage(() =>
      prepareRegistration(
        { ...base, action: 'agent_deleted', additional_data: ['chat_properties'] },
        context,
      ),
    );
  });

  it('follows the API version of the request', () => {
    const legacy = { ...context, apiVersion: '3.5' };
    expect(prepareRegistration({ ...base, action: 'incoming_customer' }, legacy).action).toBe(
      'incoming_customer',
    );
    validationMessage(() => prepareRegistration({ ...base, action: 'incoming_customer' }, context));
    validationMessage(() => prepareRegistration({ ...base, action: 'thread_summary_set' }, legacy));
  });

  it("takes 3.4's auto access actions, and no tag actions, from a 3.4 client; records the version", () => {
    const deprecated = { ...context, apiVersion: '3.4' };
    for (const action of ['auto_access_added', 'auto_access_updated', 'auto_access_deleted']) {
      expect(prepareRegistration({ ...base, action }, deprecated)).toMatchObject({
        action,
        apiVersion: '3.4',
      });
      validationMessage(() =>
        prepareRegistration({ ...base, action }, { ...context, apiVersion: '3.5' }),
      );
    }
    for (const action of ['auto_accesses_updated', 'tag_created', 'tag_updated', 'tag_deleted']) {
      validationMessage(() => prepareRegistration({ ...base, action }, deprecated));
    }
    expect(prepareRegistration({ ...base }, context).apiVersion).toBe(context.apiVersion);
  });
});

describe('describeRegistration', () => {
  it('never shows the secret key', () => {
    const shown = describeRegistration(prepareRegistration({ ...base }, context));
    expect(shown).toEqual({
      id: context.id,
      url: base.url,
      action: 'incoming_event',
      owner_client_id: 'client-1',
      type: 'license',
    });
  });
});
