# syntax=docker/dockerfile:1
# Mosaic production image: build once, run as an unprivileged user on Node 24.

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npx astro build

FROM node:24-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim AS runtime
# Without DATABASE_URL the embedded database lives in /app/.data/pglite (the default, relative to WORKDIR).
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4321
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json astro.config.mjs tsconfig.json ./
COPY src ./src
COPY registry ./registry
COPY themes ./themes
COPY migrations ./migrations
COPY tenants ./tenants
COPY scripts ./scripts
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 4321
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4321) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# V8's young generation held at 2 × 16 MiB (it grows to 128 MiB under render load otherwise);
# README, "Bounded memory".
CMD ["node", "--max-semi-space-size=16", "src/server/main.ts"]
