import { describe, expect, it } from 'vitest';
import { createSubjects, subjectToken } from './subjects.ts';

describe('subjectToken', () => {
  it('keeps ids that are already safe subject tokens', () => {
    expect(subjectToken('PJ0MRSHTDG')).toBe('PJ0MRSHTDG');
    expect(subjectToken('4f0c7f2e-8d7a-4d8e-9b1a-0c3e2a1b5d6f')).toBe(
      '4f0c7f2e-8d7a-4d8e-9b1a-0c3e2a1b5d6f',
    );
  });

  it('encodes e-mail ids so a dot never splits the subject', () => {
    const token = subjectToken('ann.smith@acme.test');
    expect(token).not.toContain('.');
    expect(token.startsWith('~')).toBe(true);
  });

  it('never maps two different ids to one token', () => {
    const ids = ['a.b', 'a-b', '~YS5i', 'a b', 'a*b', 'a>b', 'ab'];
    expect(new Set(ids.map(subjectToken)).size).toBe(ids.length);
  });
});

describe('createSubjects', () => {
  it('keeps two namespaces apart in every subject and stream name', () => {
    const one = createSubjects('tone');
    const two = createSubjects('ttwo');
    expect(one.chatStream).not.toBe(two.chatStream);
    expect(one.chatEvents('org', 'CHAT')).toBe('tone.chat.org.CHAT');
    expect(one.userPushes('org', 'ann@acme.test').startsWith('tone.push.org.user.~')).toBe(true);
  });
});
