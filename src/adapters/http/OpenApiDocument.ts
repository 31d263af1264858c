type Json = Record<string, unknown>
type Operation = Json & { responses: Record<string, Json & { content?: Record<string, { schema: Json }> }> }

const DECODE_ERROR = "#/components/schemas/HttpApiDecodeError"

const COMPONENTS = {
  securitySchemes: {
    apiKey: { type: "apiKey", in: "header", name: "X-API-Key", description: "An API key from `agentmap auth generate-key` (agm_...)" },
    bearer: { type: "http", scheme: "bearer", description: "An API key, or a JWT (HS256 or JWKS; permissions from its `permissions` array or `scope`)" }
  },
  headers: {
    CorrelationId: { description: "The request's correlation id (the one sent, or a new one)", schema: { type: "string" } },
    RetryAfter: { description: "Seconds to wait before the next request", schema: { type: "integer", minimum: 1 } },
    WwwAuthenticate: { description: 'Bearer realm="agentmap"', schema: { type: "string" } }
  },
  parameters: {
    CorrelationId: {
      name: "X-Correlation-Id",
      in: "header",
      required: false,
      description: "Your id for this request (1-128 of A-Z a-z 0-9 . _ : + / = -), echoed in the response and written on the server's log lines",
      schema: { type: "string", pattern: "^[A-Za-z0-9._:+/=-]{1,128}$" }
    }
  }
}

/**
 * The handlers read their bodies and path themselves (handleRaw; path parameters are plain
 * strings), so HttpApi's HttpApiDecodeError, which it lists under 400 for every endpoint, is
 * never answered: only the route's own 400 problem remains, or no 400 at all.
 */
const withoutDecodeError = (op: Operation, schemas: Record<string, Json>): Operation => {
  const bad = op.responses["400"]
  if (bad === undefined) return op
  const json = bad.content?.["application/json"]?.schema
  const members = ((json?.["anyOf"] as Array<Json> | undefined) ?? (json === undefined ? [] : [json])).filter((s) => s["$ref"] !== DECODE_ERROR)
  const { ["400"]: _dropped, ...others } = op.responses
  if (members.length === 0) return { ...op, responses: others }
  const schema = members.length === 1 ? members[0]! : { anyOf: members }
  const named = typeof schema["$ref"] === "string" ? schemas[(schema["$ref"] as string).split("/").pop()!] : undefined
  const description = typeof named?.["description"] === "string" ? named["description"] : "Invalid input"
  return { ...op, responses: { ...others, "400": { ...bad, description, content: { "application/json": { schema } } } } }
}

/** Names of the component schemas the document refers to, directly or through other schemas. */
const referenced = (spec: Json, schemas: Record<string, Json>): Set<string> => {
  const seen = new Set<string>()
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (typeof node !== "object" || node === null) return
    for (const [key, value] of Object.entries(node)) {
      const name = key === "$ref" && typeof value === "string" && value.startsWith("#/components/schemas/") ? value.slice(21) : undefined
      if (name !== undefined && !seen.has(name)) {
        seen.add(name)
        visit(schemas[name])
      } else visit(value)
    }
  }
  visit(spec["paths"])
  return seen
}

/**
 * Effect writes every `unknown` as `{ $id: "/schemas/unknown", title: "unknown" }`: one URI for
 * different schemas (their descriptions differ), which JSON Schema validators refuse as
 * ambiguous. Any value is the empty schema.
 */
const withoutUnknownIds = <A>(node: A): A => {
  if (Array.isArray(node)) return node.map(withoutUnknownIds) as A
  if (typeof node !== "object" || node === null) return node
  const { $id, title, ...rest } = node as Json
  const unknown = $id === "/schemas/unknown"
  return Object.fromEntries(
    Object.entries(unknown ? rest : (node as Json)).map(([key, value]) => [key, withoutUnknownIds(value)])
  ) as A
}

/** What the generated document lacks: security schemes, shared headers and parameters, no schema it does not use. */
export const completeDocument = (generated: Json): Json => {
  const components = withoutUnknownIds(generated["components"] as { schemas: Record<string, Json> })
  const paths = Object.fromEntries(
    Object.entries(withoutUnknownIds(generated["paths"] as Record<string, Record<string, Operation>>)).map(([path, item]) => [
      path,
      Object.fromEntries(Object.entries(item).map(([method, op]) => [method, withoutDecodeError(op, components.schemas)]))
    ])
  )
  const spec = { ...generated, paths }
  const used = referenced(spec, components.schemas)
  return {
    ...spec,
    // each operation states its own security requirement (ApiAccess.ts)
    components: { ...components, schemas: Object.fromEntries(Object.entries(components.schemas).filter(([name]) => used.has(name))), ...COMPONENTS }
  }
}
