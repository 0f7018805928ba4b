import { describe, expect, it } from 'vitest';
import { decideReply } from './replies.ts';

describe('decideReply', () => {
  it('hands the chat off when the customer asks for a person, in any case', () => {
    expect(decideReply('Can I talk to a HUMAN please?').type).toBe('hand_off');
    expect(decideReply('agent!').type).toBe('hand_off');
  });

  it('answers a known topic by keyword prefix', () => {
    expect(decideReply('What are your opening hours?')).toEqual({
      type: 'answer',
      text: "We're open Monday to Friday, 9:00 to 17:00.",
    });
    expect(decideReply('how much does it cost')).toMatchObject({
      text: expect.stringMatching(/10 €/),
    });
  });

  it('does not hand off on a word that only contains a hand-off word', () => {
    expect(decideReply('agentless setup?')).toMatchObject({ type: 'answer' });
  });

  it('says how to reach a person when it does not understand', () => {
    expect(decideReply('blue')).toMatchObject({
      type: 'answer',
      text: expect.stringMatching(/human/),
    });
  });
});
