import { describe, expect, it } from 'vitest';
import { closeFrame, infoResponse, messageFrame, readClientFrame } from './sockjs-frames.ts';

describe('SockJS frames', () => {
  it('writes messages, close frames and the info document as sockjs-client reads them', () => {
    expect(messageFrame(['{"action":"ping"}'])).toBe('a["{\\"action\\":\\"ping\\"}"]');
    expect(closeFrame(3000, 'Go away!')).toBe('c[3000,"Go away!"]');
    expect(infoResponse(7)).toEqual({
      websocket: true,
      origins: ['*:*'],
      cookie_needed: false,
      entropy: 7,
    });
  });

  it('reads a client frame as its messages, and refuses anything else', () => {
    expect(readClientFrame('["{\\"action\\":\\"login\\"}","b"]')).toEqual([
      '{"action":"login"}',
      'b',
    ]);
    expect(readClientFrame('"one"')).toEqual(['one']);
    expect(readClientFrame('[]')).toEqual([]);
    expect(readClientFrame('{"action":"login"}')).toBeUndefined();
    expect(readClientFrame('[1]')).toBeUndefined();
    expect(readClientFrame('not json')).toBeUndefined();
  });
});
