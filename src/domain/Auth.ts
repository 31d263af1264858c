import { Schema } from "effect"

/** read: list and inspect; execute: run and resume; admin: everything (and other principals' threads). */
export const Permission = Schema.Literal("read", "execute", "admin")
export type Permission = typeof Permission.Type
export const PERMISSIONS: ReadonlyArray<Permission> = ["read", "execute", "admin"]
export const DEFAULT_KEY_PERMISSIONS: ReadonlyArray<Permission> = ["read", "execute"]

/** Who is calling: an API key's name or a JWT's subject, with what they may do. */
export interface Principal {
  /** Stable identity recorded on threads: `key:<name>` or `jwt:<sub>`; `local` for the CLI. */
  readonly id: string
  readonly permissions: ReadonlySet<Permission>
}

export const allows = (principal: Principal, needed: Permission): boolean =>
  principal.permissions.has("admin") || principal.permissions.has(needed)

/** A principal may act on a thread it started; an admin on any; threads started without one are anyone's. */
export const ownsThread = (principal: Principal, owner: string | null): boolean =>
  owner === null || owner === principal.id || principal.permissions.has("admin")

/** Permissions from a JWT: a `permissions` array, or a space-separated `scope` claim. */
export const permissionsFromClaims = (claims: Readonly<Record<string, unknown>>): ReadonlySet<Permission> => {
  const raw = Array.isArray(claims["permissions"])
    ? claims["permissions"]
    : typeof claims["scope"] === "string"
      ? claims["scope"].split(/\s+/)
      : []
  return new Set(raw.filter((p): p is Permission => (PERMISSIONS as ReadonlyArray<unknown>).includes(p)))
}

export const ApiKeyInfo = Schema.Struct({
  name: Schema.String,
  prefix: Schema.String,
  permissions: Schema.Array(Permission),
  created_at: Schema.String,
  last_used_at: Schema.NullOr(Schema.String),
  revoked_at: Schema.NullOr(Schema.String)
})
export type ApiKeyInfo = typeof ApiKeyInfo.Type
