# STIX/TAXII 2.1 gateway image. One image, two roles chosen by the command:
#   docker run IMAGE serve     TAXII 2.1 API (N replicas behind a load balancer)
#   docker run IMAGE worker    ingest worker (M replicas)
# It runs exactly what `npm run build && node dist/main/cli.js <role>` runs on a development machine.
# Redis is external: set REDIS_URL (redis://, rediss://, redis+cluster://, redis+sentinel://; docs/deployment.md).

# Pinned base (a version, not a floating tag). Update deliberately, with the Node version in package.json engines.
ARG NODE_IMAGE=node:20.20.0-bookworm-slim

# --- build: all dependencies, compile TypeScript to dist/ (the build also copies src/store/lua to dist/store/lua)
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY schemas ./schemas
RUN npm run build

# --- production dependencies only
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime: compiled code, production node_modules, schemas (read from the package root), default config
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    GATEWAY_HOST=0.0.0.0 \
    GATEWAY_PORT=8080 \
    GATEWAY_METRICS_HOST=0.0.0.0 \
    GATEWAY_METRICS_PORT=9464 \
    GATEWAY_DATA_DIR=/data \
    GATEWAY_CONFIG=/app/collections.yaml \
    GATEWAY_SHUTDOWN_GRACE_MS=25000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json collections.yaml ./
COPY schemas ./schemas
COPY bin ./bin
# /data holds generated demo credentials (serve); the image never runs as root.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080 9464
# Liveness on the private health/metrics port, which every role serves (the worker has no API port).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.GATEWAY_METRICS_PORT||'9464')+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM → stop accepting, finish in-flight requests and the current job, exit within GATEWAY_SHUTDOWN_GRACE_MS.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/main/cli.js"]
CMD ["serve"]
