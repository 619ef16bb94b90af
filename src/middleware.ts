import { defineMiddleware } from 'astro:middleware';
import { handleSiteRequest } from './request/site-middleware.ts';
import { appServicesFor } from './app/dev-services.ts';

export const onRequest = defineMiddleware(async (context, next) =>
  handleSiteRequest(await appServicesFor(context.locals), context, next),
);
