/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    mosaic: import('./app/app-services.ts').AppServices;
    site: {
      tenant: import('./site/site-types.ts').TenantRecord;
      origin: string;
    };
    /** Set by the page: the shortest reuse time its sections allow (Blog: posts appear on schedule). */
    pageMaxAgeSeconds?: number;
  }
}
