/** The id of the dialog of one whole case (MainDialog), for dialogs that start a case over without importing it. */
export const MAIN_DIALOG = 'main-flow';
