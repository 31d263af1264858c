import { Redacted } from "effect"
import type { AppConfig } from "../config/AppConfig.js"
import { KEY_SHAPES } from "../llm/Redaction.js"

/**
 * `Authorization: Bearer …` / `Basic …` credentials, wherever they appear in a text: a token with a
 * digit, or a long one (so that prose like "basic information" stays as it is).
 */
const AUTH_SCHEMES = /\b(Bearer|Basic)\s+(?:(?=[A-Za-z0-9._~+/=-]*\d)[A-Za-z0-9._~+/=-]{6,}|[A-Za-z0-9._~+/=-]{20,})/gi
/** Three base64url parts starting with `eyJ` (a JSON header): a JWT, signed or not. */
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g
/** `password` of a connection URL (postgres://user:password@host). */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/gi

const MASK = "[REDACTED]"

/** Every secret value the configuration holds: LLM keys, the JWT secret, MCP and telemetry headers, the PostgreSQL password. */
export const configuredSecrets = (config: AppConfig, env: Readonly<Record<string, string | undefined>> = process.env): ReadonlyArray<string> => {
  const values: Array<string> = []
  for (const provider of Object.values(config.llm.providers)) if (provider.apiKey !== undefined) values.push(Redacted.value(provider.apiKey))
  if (config.auth.jwt.secret !== undefined) values.push(Redacted.value(config.auth.jwt.secret))
  for (const server of Object.values(config.mcp.servers)) if (server._tag === "Http") values.push(...Object.values(server.headers))
  const telemetry = config.raw["telemetry"]
  const headers = typeof telemetry === "object" && telemetry !== null ? (telemetry as Record<string, unknown>)["headers"] : undefined
  if (typeof headers === "object" && headers !== null) for (const v of Object.values(headers)) if (typeof v === "string") values.push(v)
  for (const name of ["OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_METRICS_HEADERS"]) {
    for (const pair of (env[name] ?? "").split(",")) {
      const value = pair.slice(pair.indexOf("=") + 1).trim()
      if (pair.includes("=") && value !== "") values.push(decodeURIComponent(value))
    }
  }
  const pg = config.persistence.postgresUrl
  if (pg !== undefined) {
    try {
      const password = decodeURIComponent(new URL(pg).password)
      if (password !== "") values.push(password)
    } catch {
      // not a URL: nothing to take from it
    }
  }
  // short values would mask ordinary words; a header value like "Bearer x" is also masked by its shape
  return [...new Set(values.flatMap((v) => [v, v.replace(/^(Bearer|Basic)\s+/i, "")]).filter((v) => v.length >= 6))]
}

/**
 * The loggers' safety net: no log call should carry a secret (none does), but a message from a
 * provider, a custom agent's `ctx.log` or a crash's stack could; this masks the configured
 * secret values and anything shaped like a key, a bearer token, a JWT or a URL password.
 */
export const logRedactor = (secrets: ReadonlyArray<string>) => {
  const sorted = [...secrets].sort((a, b) => b.length - a.length)
  return (text: string): string => {
    let out = text
    for (const s of sorted) if (out.includes(s)) out = out.split(s).join(MASK)
    return out.replace(AUTH_SCHEMES, `$1 ${MASK}`).replace(JWT, MASK).replace(KEY_SHAPES, MASK).replace(URL_PASSWORD, `$1${MASK}@`)
  }
}
