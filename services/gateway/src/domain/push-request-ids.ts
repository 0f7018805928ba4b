/**
 * Which pushes may carry the request_id of the request that caused them. LiveChat's customer SDK
 * settles `start_chat`/`resume_chat` on the `incoming_chat` and `send_event` on the
 * `incoming_event` that carries their request_id, and crashes on such a push whose request is no
 * longer pending. So those two pushes name only the request they answer; the system message a
 * `deactivate_chat` posts, for one, is an `incoming_event` that answers nothing. Every other push
 * keeps the request_id of its cause, as LiveChat's push format describes.
 */
const answeredBy: Readonly<Record<string, readonly string[]>> = {
  incoming_chat: ['start_chat', 'resume_chat'],
  incoming_event: ['send_event'],
};

export function pushCarriesRequestId(
  pushAction: string,
  requestAction: string | undefined,
): boolean {
  const answers = answeredBy[pushAction];
  return answers === undefined || (requestAction !== undefined && answers.includes(requestAction));
}
