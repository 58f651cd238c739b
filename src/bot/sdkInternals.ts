import type { BotState } from 'botbuilder';

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
