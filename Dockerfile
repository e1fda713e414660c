# feishu-reads-bot: `docker build -t feishu-reads-bot .`
# Build stage: production dependencies only (with the toolchain better-sqlite3
# needs when no prebuilt binary fits), and the bot bundled into dist/main.js.
FROM node:20-slim AS deps
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY scripts ./scripts
COPY src ./src
RUN npm run build:bot

# The playground page (on in demo mode), built with the dev tools; only its output is kept.
# No install scripts: the page needs neither the native SQLite build nor the prepare step.
FROM node:20-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
COPY web ./web
RUN npm run build:web

# Runtime stage: no compiler, no dev dependencies, not root.
FROM node:20-slim
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=1 \
    PORT=3000 \
    BOT_DB_PATH=/data/feishu-reads-bot.db
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/dist ./dist
COPY --from=web /app/dist/playground ./dist/playground
COPY package.json ./
RUN mkdir -p /data && chown node:node /data
USER node
# The SQLite store: seen events, the journal of accepted commands, snapshots, watches.
VOLUME ["/data"]
EXPOSE 3000
# slim has no curl; Node 20 has fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `npm start`'s command, without npm in between, so SIGTERM reaches the bot and it drains.
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=40", "dist/main.js"]
