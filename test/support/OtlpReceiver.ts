import { type IncomingMessage, type ServerResponse, createServer } from "node:http"
import type { AddressInfo } from "node:net"
import type { IKeyValue, IAnyValue } from "@opentelemetry/otlp-transformer/build/src/common/internal-types.js"
import type { IExportTraceServiceRequest, ISpan } from "@opentelemetry/otlp-transformer/build/src/trace/internal-types.js"

/** One received span with its attributes and resource decoded from OTLP/JSON. */
export interface ReceivedSpan {
  readonly name: string
  readonly traceId: string
  readonly spanId: string
  readonly parentSpanId: string | undefined
  readonly kind: number
  readonly attributes: Readonly<Record<string, unknown>>
  readonly links: ReadonlyArray<{ readonly traceId: string; readonly spanId: string; readonly attributes: Readonly<Record<string, unknown>> }>
  readonly status: { readonly code?: number; readonly message?: string }
  readonly resource: Readonly<Record<string, unknown>>
}

export interface OtlpReceiver {
  /** The OTLP/HTTP base URL (`/v1/traces`, `/v1/metrics` under it). */
  readonly url: string
  readonly spans: Array<ReceivedSpan>
  /** Metric export requests as received (JSON). */
  readonly metrics: Array<unknown>
  /** Every request's headers, to check what the exporter sent. */
  readonly headers: Array<Readonly<Record<string, string | ReadonlyArray<string> | undefined>>>
  /** Resolves once a span matching `test` has arrived. */
  readonly waitFor: (test: (s: ReceivedSpan) => boolean, timeoutMs?: number) => Promise<ReceivedSpan>
  readonly close: () => Promise<void>
}

const hex = (id: string | Uint8Array | undefined): string | undefined =>
  id === undefined || id === "" ? undefined : typeof id === "string" ? id : Buffer.from(id).toString("hex")

const valueOf = (v: IAnyValue | undefined): unknown =>
  v === undefined
    ? undefined
    : v.stringValue ?? v.boolValue ?? (v.intValue !== undefined && v.intValue !== null ? Number(v.intValue) : undefined) ?? v.doubleValue ?? (v.arrayValue !== undefined ? v.arrayValue.values.map(valueOf) : undefined)

const record = (attributes: ReadonlyArray<IKeyValue> | undefined): Record<string, unknown> => Object.fromEntries((attributes ?? []).map((a) => [a.key, valueOf(a.value)]))

const decode = (body: IExportTraceServiceRequest): Array<ReceivedSpan> =>
  (body.resourceSpans ?? []).flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) =>
      (ss.spans ?? []).map((s: ISpan) => ({
        name: s.name,
        traceId: hex(s.traceId)!,
        spanId: hex(s.spanId)!,
        parentSpanId: hex(s.parentSpanId),
        kind: s.kind,
        attributes: record(s.attributes),
        links: s.links.map((l) => ({ traceId: hex(l.traceId)!, spanId: hex(l.spanId)!, attributes: record(l.attributes) })),
        status: { ...(s.status.code !== undefined ? { code: s.status.code } : {}), ...(s.status.message !== undefined ? { message: s.status.message } : {}) },
        resource: record(rs.resource?.attributes)
      }))
    )
  )

/** A small OTLP/HTTP collector on loopback that decodes the JSON payloads the OTLP exporters send. */
export const startOtlpReceiver = (): Promise<OtlpReceiver> =>
  new Promise((resolve) => {
    const spans: Array<ReceivedSpan> = []
    const metrics: Array<unknown> = []
    const headers: OtlpReceiver["headers"] = []
    const waiters: Array<() => void> = []
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Array<Buffer> = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        headers.push(req.headers)
        const text = Buffer.concat(chunks).toString("utf8")
        if (!(req.headers["content-type"] ?? "").includes("json")) {
          res.writeHead(415).end()
          return
        }
        if (req.url === "/v1/traces") spans.push(...decode(JSON.parse(text) as IExportTraceServiceRequest))
        else if (req.url === "/v1/metrics") metrics.push(JSON.parse(text))
        res.writeHead(200, { "content-type": "application/json" }).end("{}")
        for (const w of waiters.splice(0)) w()
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      const waitFor = (test: (s: ReceivedSpan) => boolean, timeoutMs = 20_000) =>
        new Promise<ReceivedSpan>((done, fail) => {
          const timer = setTimeout(() => fail(new Error(`no matching span within ${timeoutMs} ms; received: ${spans.map((s) => s.name).join(", ")}`)), timeoutMs)
          const check = () => {
            const found = spans.find(test)
            if (found !== undefined) {
              clearTimeout(timer)
              done(found)
            } else waiters.push(check)
          }
          check()
        })
      resolve({
        url: `http://127.0.0.1:${port}`,
        spans,
        metrics,
        headers,
        waitFor,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })
