import { DomainError } from '../domain-error.js';

/** Expected failures of webhook endpoints and deliveries. */
export class WebhookError extends DomainError<
  'WEBHOOK_URL_REFUSED' | 'INVALID_WEBHOOK' | 'UNKNOWN_EVENT_TYPE' | 'WEBHOOK_ENDPOINT_NOT_FOUND' | 'WEBHOOK_DELIVERY_NOT_FOUND'
> {}
