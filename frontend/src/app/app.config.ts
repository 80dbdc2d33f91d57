import { provideBrowserGlobalErrorListeners, type ApplicationConfig } from '@angular/core';
import { provideProtocolTransport } from './core/transport-provider';

export const appConfig: ApplicationConfig = {
  providers: [provideBrowserGlobalErrorListeners(), provideProtocolTransport()],
};
