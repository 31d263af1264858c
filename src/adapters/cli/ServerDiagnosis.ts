import { Effect } from "effect"
import type { Check } from "../../domain/Diagnosis.js"

export interface ServerDiagnosisRequest {
  readonly url: string
  /** The admin credential (AGENTMAP_API_KEY): sent as X-API-Key, never printed. */
  readonly apiKey: string | undefined
  readonly workflow?: string
  readonly graph?: string
  readonly probe: boolean
}

export type ServerDiagnosisOutcome =
  | { readonly _tag: "Answered"; readonly document: Record<string, unknown> & { readonly checks: ReadonlyArray<Check> } }
  | { readonly _tag: "Refused"; readonly message: string }

/** GET URL/admin/diagnose: the server's own diagnosis, with what only it knows (uptime, circuits, its metrics). */
export const askServer = (request: ServerDiagnosisRequest): Effect.Effect<ServerDiagnosisOutcome> =>
  Effect.promise(async () => {
    const url = new URL(`${request.url.replace(/\/+$/, "")}/admin/diagnose`)
    if (request.workflow !== undefined) url.searchParams.set("workflow", request.workflow)
    if (request.graph !== undefined) url.searchParams.set("graph", request.graph)
    if (request.probe) url.searchParams.set("probe", "true")
    const shown = `${url.protocol}//${url.host}${url.pathname}`
    try {
      const response = await fetch(url, { headers: request.apiKey === undefined ? {} : { "x-api-key": request.apiKey }, signal: AbortSignal.timeout(30_000) })
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>
      if (response.status === 200 && Array.isArray(body["checks"])) return { _tag: "Answered", document: body as Record<string, unknown> & { readonly checks: ReadonlyArray<Check> } }
      const said = typeof body["message"] === "string" ? body["message"] : `HTTP ${response.status}`
      const hint = response.status === 401 || response.status === 403 ? " (set AGENTMAP_API_KEY to a key with the admin permission)" : ""
      return { _tag: "Refused", message: `${shown} answered ${response.status}: ${said}${hint}` }
    } catch (e) {
      const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)
      return { _tag: "Refused", message: `${shown}: unreachable (${cause})` }
    }
  })
