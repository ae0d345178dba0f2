/// <reference types="astro/client" />

/** Set per build in astro.config.mjs. */
declare const __BUILD_ID__: string;

declare namespace App {
  interface Locals {
    locale: import('./i18n/index.ts').Locale;
    t: import('./i18n/index.ts').Translate;
    /** The signed-in user, or null for the public. */
    user: import('./lib/auth/session.ts').SessionUser | null;
    sessionId: string | null;
    /** A session whose password was right and whose second factor /login still asks for. */
    secondFactorSessionId: string | null;
    clientAddress: string;
    /** The listener the request arrived on (ADMIN_LISTEN): it decides which routes answer. */
    listener: import('./lib/site.ts').Listener;
  }
}
