/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    mosaic: import('./app/app-services.ts').AppServices;
    site: {
      tenant: import('./site/site-types.ts').TenantRecord;
      origin: string;
    };
  }
}
