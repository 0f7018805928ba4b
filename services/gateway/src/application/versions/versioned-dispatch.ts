import {
  ProtocolError,
  requestToCore,
  responseFromCore,
  versionHasMethod,
} from '@threadline/protocol';
import type { Dispatch } from '../dispatcher.ts';

/**
 * The one seam where requests of every API version meet the core: a method the version lacks is
 * `not_found` (as any unknown method), its payload is translated to the core's before validation,
 * and the core's answer is translated back. The command keeps the client's version, which the
 * webhook service reads (webhook names differ by version).
 */
export function withVersionTranslation(dispatch: Dispatch): Dispatch {
  return async (request) => {
    const { version, api, action } = request;
    if (!versionHasMethod(version, api, action)) {
      throw new ProtocolError('not_found', `Unknown method in API ${version}: ${action}`);
    }
    const payload = requestToCore(version, api, action, request.payload);
    const result = await dispatch({ ...request, payload });
    return responseFromCore(version, api, action, result);
  };
}
