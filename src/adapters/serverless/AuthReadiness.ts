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
