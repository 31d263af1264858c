import { HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import type { GraphInspector } from "../../application/GraphInspector.js"
import { Diagnostic } from "../../domain/Diagnostic.js"
import { InvalidRequest } from "../../domain/Errors.js"
import { GRAPH_FORMATS, type GraphFormat, toDot, toJson, toMermaid } from "../../domain/GraphText.js"
import { ok } from "./Respond.js"

const query = (url: string) => new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "")

/**
 * `GET /workflows/{workflow}/graph?format=json|mermaid|dot&expand=true`: the text `agentmap
 * inspect --format mermaid|dot` prints (text/plain), or its JSON document with positions
 * relative to the workflow's name (server paths stay private).
 */
export const drawing = (inspector: GraphInspector["Type"], address: string, url: string, correlationId: string) =>
  Effect.gen(function* () {
    const params = query(url)
    const format = params.get("format") ?? "json"
    if (!GRAPH_FORMATS.includes(format as GraphFormat))
      return yield* Effect.fail(new InvalidRequest({ message: `format must be one of ${GRAPH_FORMATS.join(", ")}, got '${format}'` }))
    const expand = params.get("expand") ?? "false"
    if (expand !== "true" && expand !== "false") return yield* Effect.fail(new InvalidRequest({ message: `expand must be true or false, got '${expand}'` }))
    if (address.toLowerCase().split("::")[0]!.endsWith(".csv"))
      return yield* Effect.fail(new InvalidRequest({ message: `'${address}' is a file path; name a workflow of the repository instead (without .csv)` }))
    const inspection = yield* inspector.inspect({ workflow: address, expand: expand === "true" })
    if (format === "json") {
      const name = inspection.view.workflow
      const diagnostics = inspection.diagnostics.map((d) => (d.file === inspection.file ? new Diagnostic({ ...d, file: name }) : d))
      return ok({ ...toJson(inspection.view), valid: inspection.valid, diagnostics }, correlationId)
    }
    const text = format === "mermaid" ? toMermaid(inspection.view) : toDot(inspection.view)
    return HttpServerResponse.text(text, { contentType: "text/plain; charset=utf-8", headers: { "x-correlation-id": correlationId } })
  })
