import { describe, expect, it } from 'vitest';
import { agentActionRefusal, isManager, roleGrantRefusal } from './configuration-roles.ts';

const owner = { id: 'owner@x.test', role: 'owner' as const };
const admin = { id: 'admin@x.test', role: 'administrator' as const };
const vice = { id: 'vice@x.test', role: 'viceowner' as const };
const normal = { id: 'normal@x.test', role: 'normal' as const };

describe('isManager', () => {
  it('holds for owner, viceowner and administrator only', () => {
    expect([owner, vice, admin, normal].map((person) => isManager(person.role))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(isManager(undefined)).toBe(false);
  });
});

describe('agentActionRefusal', () => {
  it('lets a normal agent edit its own profile, and nothing else', () => {
    expect(
      agentActionRefusal(normal, normal, 'update', { fields: ['name', 'mobile'] }),
    ).toBeUndefined();
    expect(agentActionRefusal(normal, normal, 'update', { fields: ['max_chats_count'] })).toMatch(
      /Only/,
    );
    expect(agentActionRefusal(normal, admin, 'update', { fields: ['name'] })).toMatch(/Only/);
    expect(agentActionRefusal(normal, normal, 'delete')).toMatch(/Only/);
  });

  it('keeps managers to agents of their rank or below', () => {
    expect(agentActionRefusal(admin, normal, 'suspend')).toBeUndefined();
    expect(agentActionRefusal(admin, vice, 'update', { fields: ['name'] })).toMatch(
      /cannot manage/,
    );
    expect(agentActionRefusal(vice, admin, 'delete')).toBeUndefined();
  });

  it('never deletes or suspends the owner or oneself', () => {
    expect(agentActionRefusal(owner, owner, 'delete')).toMatch(/yourself/);
    expect(agentActionRefusal(admin, admin, 'suspend')).toMatch(/yourself/);
    expect(agentActionRefusal({ id: 'second@x.test', role: 'owner' }, owner, 'suspend')).toMatch(
      /owner cannot be suspended/,
    );
  });

  it("guards role changes: not one's own, not the owner's, not above one's own", () => {
    expect(agentActionRefusal(vice, vice, 'update', { role: 'administrator' })).toMatch(/own role/);
    expect(agentActionRefusal(vice, admin, 'update', { role: 'viceowner' })).toBeUndefined();
    expect(agentActionRefusal(admin, normal, 'update', { role: 'viceowner' })).toMatch(
      /cannot grant/,
    );
    expect(agentActionRefusal(admin, normal, 'update', { role: 'normal' })).toBeUndefined();
  });
});

describe('roleGrantRefusal', () => {
  it('lets managers create agents up to their own rank', () => {
    expect(roleGrantRefusal('administrator', 'administrator')).toBeUndefined();
    expect(roleGrantRefusal('administrator', 'viceowner')).toMatch(/cannot grant/);
    expect(roleGrantRefusal('normal', 'normal')).toMatch(/Only/);
  });
});
