import { describe, expect, it } from 'vitest';
import { webhookActions } from './webhook-actions.ts';
import { webhookNamesInEveryVersion, webhooksInVersion } from './webhook-versions.ts';

const workScheduler = {
  timezone: 'Europe/Warsaw',
  schedule: [{ day: 'monday', enabled: true, start: '08:00', end: '16:00' }],
};

describe('webhooksInVersion', () => {
  it('gives a registration the agent push of its version, under its own action only', () => {
    const agent = { id: 'a@example.com', work_scheduler: workScheduler };
    expect(
      webhooksInVersion({ action: 'agent_updated', apiVersion: '3.4' }, 'agent_updated', agent),
    ).toEqual([
      {
        action: 'agent_updated',
        payload: {
          id: 'a@example.com',
          work_scheduler: { monday: { start: '08:00', end: '16:00' } },
        },
      },
    ]);
    expect(
      webhooksInVersion({ action: 'agent_updated', apiVersion: '3.5' }, 'agent_updated', agent),
    ).toEqual([{ action: 'agent_updated', payload: agent }]);
    expect(
      webhooksInVersion({ action: 'agent_created', apiVersion: '3.6' }, 'agent_updated', agent),
    ).toEqual([]);
  });

  it('splits auto_accesses_updated for 3.4 and keeps only what the registration named', () => {
    const rules = [
      { id: 'r1', status: 'deleted' },
      { id: 'r2', next_id: '', status: 'added' },
      { id: 'r3', next_id: '', status: 'added' },
    ];
    const added = { action: 'auto_access_added', apiVersion: '3.4' };
    expect(webhooksInVersion(added, 'auto_accesses_updated', rules)).toEqual([
      { action: 'auto_access_added', payload: { id: 'r2', next_id: '' } },
      { action: 'auto_access_added', payload: { id: 'r3', next_id: '' } },
    ]);
    expect(
      webhooksInVersion(
        { action: 'auto_access_updated', apiVersion: '3.4' },
        'auto_accesses_updated',
        rules,
      ),
    ).toEqual([]);
  });

  it('sends nothing a version lacks', () => {
    expect(
      webhooksInVersion({ action: 'tag_created', apiVersion: '3.4' }, 'tag_created', {}),
    ).toEqual([]);
    expect(
      webhooksInVersion({ action: 'event_deleted', apiVersion: '3.5' }, 'event_deleted', {}),
    ).toEqual([]);
  });
});

describe('the versions of the spec (§8)', () => {
  const core = webhookActions('3.6').map((action) => action.action);
  // A payload no delta reshapes, so what comes out shows only whether the version sends it.
  const sent = (apiVersion: string) =>
    core.filter(
      (action) => webhooksInVersion({ action, apiVersion }, action, { chat_id: 'C' }).length === 1,
    );

  it('serves 3.7 registrations what 3.6 ones get: the list is unchanged', () => {
    expect(webhookActions('3.7')).toEqual(webhookActions('3.6'));
    expect(sent('3.7')).toEqual(core);
  });

  it('gives 3.5 registrations every 3.6 action but event_deleted and thread_summary_set', () => {
    expect(core.filter((action) => !sent('3.5').includes(action))).toEqual([
      'event_deleted',
      'thread_summary_set',
    ]);
    expect(webhookActions('3.5').map((action) => action.action)).toEqual([
      ...sent('3.5'),
      'incoming_customer',
    ]);
  });
});

describe('webhookNamesInEveryVersion', () => {
  it('lists the names registrations of any version may have for a change', () => {
    const rules = [
      { id: 'r1', next_id: 'r2', status: 'updated' },
      { id: 'r2', next_id: '', status: 'added' },
    ];
    expect(webhookNamesInEveryVersion('auto_accesses_updated', rules).sort()).toEqual([
      'auto_access_added',
      'auto_access_updated',
      'auto_accesses_updated',
    ]);
    expect(webhookNamesInEveryVersion('incoming_event', {})).toEqual(['incoming_event']);
  });
});
