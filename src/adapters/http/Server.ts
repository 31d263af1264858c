import { createServer, type Server } from "node:http"
import type { Socket } from "node:net"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Effect, Layer } from "effect"
import type { AppConfig } from "../config/AppConfig.js"
import { isConfigured } from "../config/LlmConfig.js"
import { HttpSettings } from "./HttpSettings.js"
import * as Routes from "./Routes.js"
import * as Serving from "./Serving.js"
import { rawProblem } from "./Unmatched.js"
import { activeStreams, stopStreams } from "./Sse.js"

export const settingsLayer = (config: AppConfig, version: string) =>
  Layer.succeed(HttpSettings, {
    authEnabled: config.auth.enabled,
    maxBodyBytes: config.http.maxBodyBytes,
    heartbeatMillis: config.http.heartbeatMillis,
    rateLimit: config.http.rateLimit,
    cors: config.http.cors,
    version,
    metricsPublic: config.telemetry.metrics.public,
    ui: config.http.ui,
    describe: {
      auth: { enabled: config.auth.enabled, jwt: config.auth.jwt.secret !== undefined ? "hs256" : config.auth.jwt.jwksUrl !== undefined ? "jwks" : "off" },
      persistence_backend: config.persistence.backend,
      execution: { durability: config.execution.durability, success_policy: config.execution.successPolicy._tag },
      // which providers can be called, never their keys
      llm: Object.fromEntries(
        Object.entries(config.llm.providers).map(([name, p]) => [name, { configured: isConfigured(p), base_url: p.baseUrl, model: p.model }])
      ),
      http: { max_body_bytes: config.http.maxBodyBytes, rate_limit: config.http.rateLimit, cors_origins: config.http.cors.allowOrigins }
    }
  })

/**
 * On shutdown: stop accepting, let requests in flight (and streamed runs whose client left)
 * finish within the grace period, then close what is still open and stop the streamed runs still
 * going (their agents' signals fire). Runs before the server's own finalizer and before the
 * stores close.
 */
const drain = (server: Server, graceMillis: number) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      // counted here rather than with server.getConnections, which cluster workers cannot answer
      const sockets = new Set<Socket>()
      server.on("connection", (socket: Socket) => {
        sockets.add(socket)
        socket.once("close", () => sockets.delete(socket))
      })
      yield* Effect.addFinalizer(() =>
        Effect.promise(async () => {
          server.close()
          const deadline = Date.now() + graceMillis
          for (;;) {
            server.closeIdleConnections()
            if ((sockets.size === 0 && activeStreams() === 0) || Date.now() >= deadline) break
            await new Promise((resolve) => setTimeout(resolve, 50))
          }
          server.closeAllConnections()
        }).pipe(Effect.zipRight(stopStreams))
      )
    })
  )

export interface ServeOptions {
  readonly host: string
  readonly port: number
  readonly graceMillis: number
  /** Idle keep-alive connections close after this (http.keep_alive_timeout_seconds). */
  readonly keepAliveTimeoutMillis: number
  /** Called once the socket listens (the address actually bound: port 0 picks a free one). */
  readonly onListening?: (address: { readonly host: string; readonly port: number }) => void
}

/** The standalone server: AgentMap's routes on a Node HTTP server (the services come from AppLayer). */
export const layer = (options: ServeOptions) => {
  const server = createServer()
  // A client (or a load balancer) that reuses an idle connection just as the server closes it gets
  // a reset: the server's idle timeout must outlast theirs (Node's default, 5 s, does not; ALB's is
  // 60 s), and the time allowed for a request's headers must outlast it in turn.
  server.keepAliveTimeout = options.keepAliveTimeoutMillis
  server.headersTimeout = options.keepAliveTimeoutMillis + 5_000
  server.requestTimeout = Math.max(server.requestTimeout, server.headersTimeout)
  const announce = Layer.effectDiscard(
    Effect.sync(() => {
      const address = server.address()
      if (address !== null && typeof address === "object") options.onListening?.({ host: address.address, port: address.port })
    })
  )
  // a request Node's parser refuses never reaches a route: answer it as a problem document too
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) return void socket.destroy()
    socket.end(
      error.code === "HPE_HEADER_OVERFLOW"
        ? rawProblem(431, "the request's headers are too large")
        : rawProblem(400, `the request is not valid HTTP/1.1 (${error.code ?? error.message})`)
    )
  })
  return Serving.serve(Layer.mergeAll(Routes.layer(), drain(server, options.graceMillis))).pipe(
    Layer.provideMerge(announce),
    Layer.provide(NodeHttpServer.layer(() => server, { host: options.host, port: options.port }))
  )
}
