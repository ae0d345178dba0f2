/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    locale: import('./i18n/index.ts').Locale;
    t: import('./i18n/index.ts').Translate;
  }
}
