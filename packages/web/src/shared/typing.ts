/**
 * Turns keystrokes into "started typing" / "stopped typing" calls: one call per change, and
 * "stopped" after a pause, so a typing indicator costs two requests per burst, not one per key.
 */
export function createTypingSignal(send: (isTyping: boolean) => void, pauseMs = 3_000) {
  let typing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    clearTimeout(timer);
    if (typing) send(false);
    typing = false;
  };
  return {
    draft(text: string) {
      if (text === '') return stop();
      if (!typing) send(true);
      typing = true;
      clearTimeout(timer);
      timer = setTimeout(stop, pauseMs);
    },
    stop,
  };
}
