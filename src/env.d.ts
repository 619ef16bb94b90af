/// <reference types="astro/client" />

interface ImportMetaEnv {
  /** Set by `astro.config.mjs`, new with every build. */
  readonly MOSAIC_BUILD_ID?: string;
}

declare namespace App {
  interface Locals {
    mosaic: import('./app/app-services.ts').AppServices;
    /** Set by the Node front (src/server): the request's route and site, decided once. */
    front?: import('./request/resolve-site.ts').FrontDecision;
    /** Set by the Node front on the admin host: render the editor page (`src/editor`), not a site's. */
    editor?: { secure: boolean };
    site: {
      tenant: import('./site/site-types.ts').TenantRecord;
      origin: string;
    };
    /** Set by the page: the shortest reuse time its sections allow (Blog: posts appear on schedule). */
    pageMaxAgeSeconds?: number;
  }
}
