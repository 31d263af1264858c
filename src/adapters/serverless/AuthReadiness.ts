import { Effect } from "effect"
import { AuthService } from "../../application/AuthService.js"
import type { AppConfig } from "../config/AppConfig.js"
import type { Problem } from "./Problem.js"

const jwtConfigured = (config: AppConfig) => config.auth.jwt.secret !== undefined || config.auth.jwt.jwksUrl !== undefined

/**
 * Auth on, no JWT configuration and API keys kept in memory: no key can ever exist (nothing
 * outside this container can write one), so no HTTP request could ever be let in. What every
 * HTTP request is answered with instead of a 401 that hides the cause; undefined when someone could.
 */
export const unreachableAuth = (config: AppConfig): Problem | undefined =>
  config.auth.enabled && !jwtConfigured(config) && config.persistence.backend === "memory"
    ? {
        error: "AuthMisconfigured",
        message:
          "authentication is on (auth.enabled) but nobody can ever authenticate to this function: there is no JWT configuration (auth.jwt) and no API key can exist in the memory store (persistence.backend is memory, the cloud default when none is configured). Configure one of: auth.jwt (secret or jwks_url, e.g. AGENTMAP_AUTH__JWT__SECRET); a Postgres store (persistence.backend: postgres and persistence.postgres_url) holding keys made with `agentmap auth generate-key`; or auth.enabled: false for a public function"
      }
    : undefined

/**
 * A store that outlives the container (Postgres, SQLite) may get keys later, from
 * `agentmap auth generate-key` run against the same database: none yet is worth a warning, not a
 * refusal. An unreachable store says nothing here: every request reports it.
 */
export const noKeyYet = (config: AppConfig): Effect.Effect<string | undefined, never, AuthService> =>
  !config.auth.enabled || jwtConfigured(config) || config.persistence.backend === "memory"
    ? Effect.succeed(undefined)
    : Effect.flatMap(AuthService, (auth) => auth.canAuthenticate).pipe(
        Effect.map((can) =>
          can
            ? undefined
            : `authentication is on (auth.enabled) and there is no JWT configuration (auth.jwt), but the ${config.persistence.backend} store holds no active API key yet: HTTP requests answer 401 until one is created with \`agentmap auth generate-key\` against the same database`
        ),
        Effect.orElseSucceed(() => undefined)
      )
