/**
 * The parts of botbuilder-dialogs the bot uses, imported from their own modules. The package's index also loads every
 * prompt and the Microsoft Recognizers Text libraries (number, date and choice recognition in many languages) into
 * every process, for nothing here (the bot recognizes with its own NLU and Adaptive Card buttons). These deep imports
 * and the private key below are pinned to the installed version by test/sdkInternals.test.ts (with the bot's, in
 * src/bot/sdkInternals.ts).
 */
export { ComponentDialog } from 'botbuilder-dialogs/lib/componentDialog';
export { Dialog, DialogTurnStatus } from 'botbuilder-dialogs/lib/dialog';
export type { DialogInstance, DialogTurnResult } from 'botbuilder-dialogs/lib/dialog';
export { DialogContext } from 'botbuilder-dialogs/lib/dialogContext';
export type { DialogState } from 'botbuilder-dialogs/lib/dialogContext';
export { DialogSet } from 'botbuilder-dialogs/lib/dialogSet';
export { WaterfallDialog } from 'botbuilder-dialogs/lib/waterfallDialog';
export type { WaterfallStepContext } from 'botbuilder-dialogs/lib/waterfallStepContext';
/** The turnState key under which DialogStateManager looks for its configuration (botbuilder-dialogs 4.x, not exported). */
export const STATE_CONFIGURATION_KEY = 'DialogStateManagerConfiguration';
