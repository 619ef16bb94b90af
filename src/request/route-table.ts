/** One row of a route table: which methods a path takes, and what answers it. */
export interface Route<H> {
  methods: readonly string[];
  /** An exact path (`/healthz`), or a prefix ending in `/*` (`/_astro/*`; `/*` matches every path). */
  path: string;
  handler: H;
}

export type RouteMatch<H> =
  | { found: true; handler: H }
  | { found: false; status: 404 }
  | { found: false; status: 405; allow: string };

export type RouteTable<H> = (method: string, pathname: string) => RouteMatch<H>;

const NOT_FOUND = { found: false, status: 404 } as const;

/**
 * The most specific path decides (an exact path, then the longest prefix); a method it does not
 * take is `405` with the methods it does (`Allow`). Matches are built once, so a lookup allocates
 * nothing.
 */
export function createRouteTable<H>(routes: readonly Route<H>[]): RouteTable<H> {
  type Row = { prefix: string; found: RouteMatch<H>; refused: RouteMatch<H>; methods: ReadonlySet<string> };
  const row = (route: Route<H>, prefix: string): Row => ({
    prefix,
    found: { found: true, handler: route.handler },
    refused: { found: false, status: 405, allow: route.methods.join(', ') },
    methods: new Set(route.methods),
  });
  const exact = new Map<string, Row>();
  const prefixes: Row[] = [];
  for (const route of routes) {
    if (route.path.endsWith('/*')) prefixes.push(row(route, route.path.slice(0, -1)));
    else exact.set(route.path, row(route, route.path));
  }
  prefixes.sort((a, b) => b.prefix.length - a.prefix.length);

  return (method, pathname) => {
    let hit = exact.get(pathname);
    for (let i = 0; !hit && i < prefixes.length; i++) if (pathname.startsWith(prefixes[i]!.prefix)) hit = prefixes[i];
    if (!hit) return NOT_FOUND;
    return hit.methods.has(method) ? hit.found : hit.refused;
  };
}
