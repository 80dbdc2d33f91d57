import { provideBrowserGlobalErrorListeners, type ApplicationConfig } from '@angular/core';
import { MAT_DIALOG_DEFAULT_OPTIONS, MatDialogConfig } from '@angular/material/dialog';
import { provideProtocolTransport } from './core/transport-provider';

/**
 * Dialogs put focus on their first field as they open, not once their open
 * animation has ended (Material's default): a click into another field in
 * those 150 ms had its focus taken back, and what was typed next landed in
 * the first field.
 */
const DIALOG_DEFAULTS: MatDialogConfig = { ...new MatDialogConfig(), delayFocusTrap: false };

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideProtocolTransport(),
    { provide: MAT_DIALOG_DEFAULT_OPTIONS, useValue: DIALOG_DEFAULTS },
  ],
};
