# syntax=docker/dockerfile:1.7
# The image of one Estate service; the build argument SERVICE names it (backend, ai-worker, etl).
# Build from the repository root:
#   docker build -f infrastructure/docker/service.Dockerfile --build-arg SERVICE=backend -t estate/backend .
# No secret enters the image: the service reads its secrets from AWS Secrets Manager at startup.

FROM node:24-bookworm-slim AS build
ARG SERVICE
RUN case "$SERVICE" in backend | ai-worker | etl) ;; \
      *) echo "SERVICE must be backend, ai-worker or etl (got '$SERVICE')" >&2; exit 1 ;; esac
ENV CI=true
RUN npm install --global --no-audit --no-fund pnpm@10.34.9
WORKDIR /repo
# Dependencies first, so a source change does not refetch them.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile
RUN pnpm --filter "@estate/${SERVICE}..." build
# Production dependencies and the built workspace packages only.
RUN pnpm --filter "@estate/${SERVICE}" deploy --prod --legacy /out

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
RUN groupadd --system --gid 10001 estate \
  && useradd --system --uid 10001 --gid estate --no-create-home --shell /usr/sbin/nologin estate
# Owned by root and read-only to the service user; the root filesystem is read-only in Kubernetes anyway.
COPY --from=build /out ./
USER 10001:10001
# The services take no argument; the ETL job is started as `node dist/main.js run` by its CronJob.
CMD ["node", "dist/main.js"]
