import { type MethodPayload, ProtocolError } from '@threadline/protocol';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';

/**
 * `resume_chats` (Threadline's addition, both chat APIs): the login option `resume` for a socket
 * already logged in. The connection does the work; the Web API has no connection to resume.
 */
export function createResumeMethods(dependencies: LocalMethodDependencies): LocalMethods {
  return {
    resume_chats: async ({ request, payload }) => {
      const session = dependencies.sessions.find(request.context.connectionId);
      if (!session?.identity) throw new ProtocolError('authentication', 'Log in first');
      const { chats } = payload as MethodPayload<'resume_chats'>;
      return session.resumeChats(chats, request.context.requestId);
    },
  };
}
