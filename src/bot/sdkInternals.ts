import type { BotState } from 'botbuilder';
import { ConnectorClient } from 'botframework-connector';

/**
 * Every botbuilder internal the bot relies on (a deep import or a private property), in one place. Each is pinned
 * by test/sdkInternals.test.ts to the installed package versions, so an upgrade that moves or changes one fails
 * there, with the name of what changed. The dialogs' deep imports of botbuilder-dialogs are in dialogs/sdk.ts
 * (dialogs do not import the bot); the same test pins them.
 */

/** The check and timestamp parsing CloudAdapter applies to an incoming activity (not exported from botbuilder's index). */
export { validateAndFixActivity } from 'botbuilder/lib/activityValidator';

/** The blob name BlobsStorage gives a key (not exported from the package index), so our own writes name blobs alike. */
export { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey';

/** Where BotState keeps its CachedBotState in turnState (BotState's private `stateKey`). */
export const botStateSlot = (state: BotState): symbol => (state as unknown as { stateKey: symbol }).stateKey;

/**
 * A Bot Connector client for one request that must not be sent twice (creating a channel thread): the credentials
 * of the bot's kept client for that service, and an HTTP pipeline without core-rest-pipeline's defaultRetryPolicy,
 * which sends a request again when its connection breaks (under ConnectorClient's private `client`). Built for the
 * call: the kept clients keep their retries. The caller retries, knowing what may have happened. Throws if the
 * policy is not where it is expected.
 */
export function singleAttemptClient(kept: ConnectorClient, serviceUrl: string): ConnectorClient {
  const client = new ConnectorClient(kept.credentials, { baseUri: serviceUrl });
  const pipeline = (client as unknown as { client?: { pipeline?: { removePolicy(o: { name: string }): unknown[] } } }).client?.pipeline;
  const removed = pipeline?.removePolicy({ name: 'defaultRetryPolicy' }) ?? [];
  if (removed.length === 0) throw new Error('the connector client has no defaultRetryPolicy to remove (botbuilder changed)');
  return client;
}
