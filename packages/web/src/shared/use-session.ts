import type { RtmClient } from '@threadline/sdk/browser';
import { useEffect, useRef, useState } from 'preact/hooks';

export interface SessionState<S> {
  session: S | undefined;
  /** Counts the sessions opened: a new one is a new connection, whose state is read afresh. */
  generation: number;
  /** Why there is no session now (still trying again unless `fatal`). */
  failure: string | undefined;
  /** The failure will not go away by trying again (e.g. a refused token). */
  fatal: boolean;
}

const none = { session: undefined, failure: undefined, fatal: false };

/**
 * Opens a session and keeps it open: when its connection ends (a gateway restarts, the network
 * drops) or cannot be opened, it is opened again after a pause that doubles from 1 s up to 30 s
 * while failures follow each other.
 */
export function useSession<S extends { rtm: RtmClient }>(
  open: (() => Promise<S>) | undefined,
  key: readonly unknown[],
  isFatal: (error: Error) => boolean = () => false,
): SessionState<S> {
  const [state, setState] = useState<Omit<SessionState<S>, 'generation'>>(none);
  const [attempt, setAttempt] = useState(0);
  const generation = useRef(0);
  const failures = useRef(0);
  useEffect(() => {
    if (!open) {
      setState(none);
      return;
    }
    let ended = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const tryAgain = (failure: string) => {
      setState({ session: undefined, failure, fatal: false });
      const pauseMs = Math.min(30_000, 1_000 * 2 ** failures.current);
      failures.current += 1;
      retry = setTimeout(() => setAttempt((value) => value + 1), pauseMs);
    };
    open().then(
      (session) => {
        if (ended) return void session.rtm.close();
        failures.current = 0;
        generation.current += 1;
        setState({ session, failure: undefined, fatal: false });
        void session.rtm.closed().then(() => {
          if (!ended) tryAgain('The connection was lost. Reconnecting…');
        });
      },
      (error: Error) => {
        if (ended) return;
        if (isFatal(error)) setState({ session: undefined, failure: error.message, fatal: true });
        else tryAgain(`Cannot connect (${error.message}). Trying again…`);
      },
    );
    return () => {
      ended = true;
      clearTimeout(retry);
    };
  }, [...key, attempt]);
  return { ...state, generation: generation.current };
}
