import { createHmac, timingSafeEqual } from 'crypto';

/** A signed request older (or further in the future) than this is refused as a replay. */
export const MAX_SIGNATURE_AGE_S = 300;

const hmac = (secret: string, timestamp: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/**
 * The headers that sign an ITSM webhook POST (ESCALATION_WEBHOOK_SECRET): the Unix time, and HMAC-SHA256 of
 * "<timestamp>.<body>" as "sha256=<hex>". Status updates coming back are signed the same way.
 */
export function webhookSignature(secret: string, body: string, now = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  return { 'x-signature-timestamp': timestamp, 'x-signature': hmac(secret, timestamp, body) };
}

/** Whether the signature is the secret's for this body and timestamp, and the timestamp recent. */
export function validSignature(secret: string, body: string, timestamp: string, signature: string, now = Date.now()): boolean {
  const ts = Number(timestamp);
  if (!timestamp || !Number.isInteger(ts) || Math.abs(now / 1000 - ts) > MAX_SIGNATURE_AGE_S) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
