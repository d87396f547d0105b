# syntax=docker/dockerfile:1.7
# The workspace with its development dependencies, for docker-compose.yml's `secrets` (the
# @estate/secrets-local endpoint) and `seed` (`estate-secrets seed`, @estate/secrets-cli) services.
# Both run `pnpm estate-secrets` (the root script) from source. Not a production image.
#   docker build -f infrastructure/docker/tools.Dockerfile -t estate/tools .
FROM node:24-bookworm-slim
ENV CI=true
RUN npm install --global --no-audit --no-fund pnpm@10.34.9
WORKDIR /repo
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile \
  && mkdir -p /data && chown 10001:10001 /data
USER 10001:10001
