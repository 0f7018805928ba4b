/**
 * What the widget is told before a chat when nothing is configured: Threadline has no widget
 * designer, so these are LiveChat's defaults, stable, and versioned by a constant.
 */

/** `config_version` / `localization_version`: the defaults change only with a release. */
export const widgetConfigVersion = '1';

/** The widget's phrases (a subset LiveChat's widget reads; unknown keys fall back in clients). */
export const defaultLocalization: Record<string, Record<string, string>> = {
  en: {
    Agents_currently_not_available: 'Our agents are not available at the moment.',
    Chat_closed: 'The chat has been closed',
    Chat_transcript_sent_to: 'Chat transcript will be sent to %email%',
    Embedded_chat_now: 'Chat now',
    Embedded_leave_message: 'Leave a message',
    Embedded_minimize_window: 'Minimize window',
    Embedded_textarea_placeholder: 'Write a message…',
    Embedded_waiting_for_operator: 'Waiting for an agent',
    New_message: 'New message',
    Queue_position: 'You are number %position% in the queue',
    Send: 'Send',
    Start_chat: 'Start the chat',
    Welcome_title: 'Welcome to our website',
  },
};

export type FormType = 'prechat' | 'postchat';

/** The default pre-chat and post-chat forms (shown only when enabled). */
export function defaultForm(type: FormType): Record<string, unknown> {
  if (type === 'prechat') {
    return {
      id: 'prechat_default',
      fields: [
        {
          id: '1',
          type: 'header',
          label: 'Welcome to our LiveChat! Please fill in the form below.',
        },
        { id: '2', type: 'name', label: 'Name:', required: false },
        { id: '3', type: 'email', label: 'E-mail:', required: false },
      ],
    };
  }
  return {
    id: 'postchat_default',
    fields: [
      { id: '1', type: 'header', label: 'How would you rate this chat?' },
      {
        id: '2',
        type: 'radio',
        label: 'Rating',
        required: false,
        options: [
          { id: '0', label: 'Good', checked: false },
          { id: '1', label: 'Bad', checked: false },
        ],
      },
      { id: '3', type: 'textarea', label: 'Comment', required: false },
    ],
  };
}

/**
 * `get_url_info` without leaving the building: Threadline never fetches a customer-supplied URL
 * (that would let anyone make the server request internal addresses), so the answer is what the
 * URL itself says. The title is the host, the description empty, no image.
 */
export function urlInfo(url: string): Record<string, unknown> {
  const parsed = new URL(url);
  return {
    url: parsed.toString(),
    title: parsed.hostname,
    description: '',
    image_url: '',
    image_original_url: '',
    image_width: 0,
    image_height: 0,
  };
}
