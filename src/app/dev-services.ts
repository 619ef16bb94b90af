import type { AppServices } from './app-services.ts';

let devServices: Promise<AppServices> | null = null;

/**
 * The server (src/server/main.ts) passes its services in `locals`. Under `astro dev` there is no
 * such server, so the first request builds one set for the dev process.
 */
export function appServicesFor(locals: Partial<App.Locals>): Promise<AppServices> | AppServices {
  if (locals.mosaic) return locals.mosaic;
  devServices ??= import('./create-app-context.ts').then(async ({ createAppContext }) => {
    const { loadConfig } = await import('../config/config.ts');
    const services = await createAppContext(loadConfig({ NODE_ENV: 'development', ...process.env }));
    locals.mosaic = services;
    return services;
  });
  return devServices.then((services) => (locals.mosaic = services));
}
