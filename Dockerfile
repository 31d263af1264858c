# AgentMap server image: `docker build -t agentmap .` (README "Run in a container").
# test/infra/ContainerImage.test.ts runs these steps without Docker (it reads this file): keep each
# build step one RUN line, COPY --from=build for what the runtime gets, CMD and HEALTHCHECK in JSON form.

# ---- build: every dependency (esbuild, typescript), then only the production ones are kept ----
FROM node:20-slim AS build
WORKDIR /app
COPY . .
# better-sqlite3 downloads a prebuilt binary; where there is none it compiles (then add:
# RUN apt-get update && apt-get install -y python3 make g++)
RUN npm ci --no-audit --no-fund
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund
RUN ln -sf ../../bin/agentmap.cjs node_modules/.bin/agentmap && mkdir -p .agentmap data

# ---- runtime: node:20-slim, production dependencies only, non-root ----
FROM node:20-slim
ENV NODE_ENV=production PATH=/app/node_modules/.bin:$PATH
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
# the example workflows and their config; mount your own over /app/workflows and /app/agentmap_config.yaml
COPY --from=build /app/workflows ./workflows
COPY --from=build /app/agentmap_config.yaml ./agentmap_config.yaml
# paths.cache (SQLite store, API keys, compiled modules) and storage.base_directory: the only writable folders
COPY --from=build --chown=node:node /app/.agentmap ./.agentmap
COPY --from=build --chown=node:node /app/data ./data
USER node
VOLUME ["/app/.agentmap"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["agentmap", "health", "--timeout", "4"]
CMD ["agentmap", "serve", "--host", "0.0.0.0"]
