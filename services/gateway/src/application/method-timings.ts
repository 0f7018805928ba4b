import type { Dispatch } from './dispatcher.ts';

/** The histogram's part the timing needs: prom-client's `startTimer`. */
export interface MethodTimer {
  startTimer(labels: { api: string; action: string; transport: string }): () => void;
}

/**
 * Times every method call, whichever transport it came by and however it ended (an error
 * answered is a call too), so latency per method is one series for the Web API and RTM alike.
 * `label` bounds the method label to the catalog: a caller cannot grow the series at will.
 */
export function withMethodTimings(
  dispatch: Dispatch,
  timer: MethodTimer,
  label: (action: string) => string,
): Dispatch {
  return async (request) => {
    const stop = timer.startTimer({
      api: request.api,
      action: label(request.action),
      transport: request.transport,
    });
    try {
      return await dispatch(request);
    } finally {
      stop();
    }
  };
}
