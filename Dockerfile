# The worker and the gateway of Couture OMS: one image, two commands (see docker-compose.yml).
#   docker build -t couture-oms .
#   docker run couture-oms                                  # gateway (default command)
#   docker run couture-oms node dist/src/worker/main.js     # worker

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# `npm ci` refuses a lock file written where other platforms' optional packages could not be resolved;
# `npm install` then installs the same locked versions.
RUN npm ci || npm install
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
CMD ["node", "dist/src/gateway/main.js"]
