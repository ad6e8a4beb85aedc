import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-tuntas-signature';
export const DELIVERY_HEADER = 'x-tuntas-delivery';
export const TIMESTAMP_HEADER = 'x-tuntas-timestamp';

/**
 * `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>` with the webhook's secret. The
 * timestamp is signed too, so a receiver can refuse replays of old deliveries.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function verifyWebhook(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
