/** Methods without a row, and why. Keyed `api method`. */
export const notCovered: Record<string, string> = {
  ...because('RTM-only session method: acts on the caller’s own connection, no target id', [
    'agent login',
    'agent ping',
    'agent logout',
    'agent resume_chats',
    'agent change_push_notifications',
    'agent set_away_status',
    'agent update_session',
    'agent subscribe_customers',
    'agent unsubscribe_customers',
    'customer login',
    'customer ping',
    'customer resume_chats',
    'customer update_customer_page',
  ]),
  ...because('multipart upload, no target id; send_event (covered) binds the file to a chat', [
    'agent upload_file',
    'customer upload_file',
  ]),
  ...because('the caller itself, no target id', [
    'customer start_chat',
    'customer get_customer',
    'customer update_customer',
    'customer set_customer_session_fields',
    'customer request_email_verification',
    'configuration request_agent_unsuspension',
  ]),
  ...because(
    'widget configuration of the organization in the URL (public before login); group ids are per organization',
    [
      'customer get_dynamic_configuration',
      'customer get_configuration',
      'customer get_localization',
      'customer get_form',
      'customer list_group_statuses',
      'customer list_license_properties',
      'customer list_group_properties',
      'customer check_goals',
      'customer get_url_info',
      'customer get_predicted_agent',
      'customer request_welcome_message',
    ],
  ),
  ...because('acts on a greeting offered to the caller itself (its own unique_id); no offer here', [
    'customer accept_greeting',
    'customer cancel_greeting',
    'customer send_greeting_button_clicked',
  ]),
  ...because(
    'a read every role may make, of the caller’s own organization (no id, or per-organization ids)',
    [
      'configuration list_agents',
      'configuration list_bots',
      'configuration list_bot_templates',
      'configuration list_groups',
      'configuration get_group',
      'configuration list_tags',
      'configuration list_properties',
      'configuration list_license_properties',
      'configuration list_group_properties',
      'configuration list_groups_properties',
      'configuration list_auto_accesses',
      'configuration list_customer_bans',
      'configuration list_greetings',
      'configuration get_greeting',
      'configuration list_channels',
      'configuration get_product_source',
      'configuration check_product_limits_for_plan',
      'configuration list_customer_erasures',
      'configuration get_license_webhooks_state',
    ],
  ),
  ...because('public, no organization data', [
    'configuration list_webhook_names',
    'configuration get_license_id',
    'configuration get_organization_id',
  ]),
  ...because(
    'needs a delivery id, and nothing was delivered; list_webhook_deliveries covers the webhook',
    ['configuration redeliver_webhook_delivery'],
  ),
};

function because(reason: string, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, reason]));
}
