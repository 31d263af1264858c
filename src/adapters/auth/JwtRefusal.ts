/** The claim rules a JWT is held to (`auth.jwt.*`), as the refusal messages name them. */
export interface ClaimRules {
  readonly issuer: string | undefined
  readonly audience: string | undefined
  readonly requireExp: boolean
  readonly maxAgeSeconds: number | undefined
}

/** What jose's claim errors carry (read by shape: jose itself is loaded only when a JWT arrives). */
interface ClaimError {
  readonly code: string
  readonly claim: string
  readonly reason: string
  readonly payload: Readonly<Record<string, unknown>>
}

const CLAIM_ERRORS: ReadonlyArray<unknown> = ["ERR_JWT_EXPIRED", "ERR_JWT_CLAIM_VALIDATION_FAILED"]

const isClaimError = (e: unknown): e is ClaimError => e instanceof Error && CLAIM_ERRORS.includes((e as Partial<ClaimError>).code)

const iso = (seconds: unknown) => (typeof seconds === "number" ? new Date(seconds * 1000).toISOString() : "?")

const missing = (claim: string, rules: ClaimRules): string => {
  switch (claim) {
    case "exp":
      return "the JWT has no exp claim (auth.jwt.require_exp is on): issue tokens with an expiry, or set auth.jwt.require_exp: false"
    case "iat":
      return `the JWT has no iat claim, so its age cannot be checked against auth.jwt.max_age_seconds (${rules.maxAgeSeconds}): issue tokens with an issued-at time`
    case "iss":
      return `the JWT has no iss claim; auth.jwt.issuer expects ${rules.issuer}`
    case "aud":
      return `the JWT has no aud claim; auth.jwt.audience expects ${rules.audience}`
    default:
      return `the JWT has no ${claim} claim`
  }
}

const failed = (claim: string, payload: ClaimError["payload"], rules: ClaimRules, nowSeconds: number): string => {
  const at = payload[claim]
  const ago = typeof at === "number" ? Math.round(nowSeconds - at) : undefined
  switch (claim) {
    case "exp":
      return `the JWT expired ${ago} s ago (exp ${iso(at)})`
    case "iat":
      return ago !== undefined && ago >= 0
        ? `the JWT was issued ${ago} s ago, more than auth.jwt.max_age_seconds (${rules.maxAgeSeconds})`
        : `the JWT's iat is ${ago === undefined ? "?" : -ago} s in the future: check the issuer's clock`
    case "nbf":
      return `the JWT is not valid before ${iso(at)} (in ${ago === undefined ? "?" : -ago} s)`
    case "iss":
      return `the JWT's iss claim is not auth.jwt.issuer (${rules.issuer})`
    case "aud":
      return `the JWT's aud claim does not include auth.jwt.audience (${rules.audience})`
    default:
      return `the JWT's ${claim} claim was refused`
  }
}

/**
 * Why a JWT was refused, in the words of the configuration that refused it. The token itself
 * never goes into the message.
 */
export const jwtRefusal = (e: unknown, rules: ClaimRules, nowSeconds: number): string => {
  if (isClaimError(e)) {
    if (e.reason === "missing") return missing(e.claim, rules)
    if (e.reason === "invalid") return `the JWT's ${e.claim} claim must be a number (seconds since 1970)`
    if (e.reason === "check_failed") return failed(e.claim, e.payload, rules, nowSeconds)
  }
  return `invalid token: ${e instanceof Error ? e.message.replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, "<token>") : "verification failed"}`
}
