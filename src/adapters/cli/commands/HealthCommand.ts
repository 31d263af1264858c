import { Effect } from "effect"
import { loadConfig } from "../../config/ConfigLoader.js"
import { runStandalone } from "../CommandRuntime.js"
import { ExitCode } from "../ExitCodes.js"
import { printJson } from "../Output.js"
import { command, integer, text } from "../Spec.js"
import { jsonOption } from "./SharedOptions.js"

/** A local address to reach a server listening on every interface. */
const reachable = (host: string) => (host === "0.0.0.0" || host === "" ? "127.0.0.1" : host === "::" ? "[::1]" : host.includes(":") ? `[${host}]` : host)

export const healthCommand = command({
  name: "health",
  summary: "Ask a running server for GET /health: exit 0 when it answers ok (a container HEALTHCHECK, a deploy check)",
  args: [],
  options: {
    url: text({ placeholder: "URL", description: "the server's base URL", default: "http://<http.host>:<http.port> of the configuration, 127.0.0.1 for 0.0.0.0" }),
    timeout: integer({ placeholder: "SECONDS", min: 1, description: "how long to wait for the answer", default: "5" }),
    json: jsonOption
  },
  examples: ["agentmap health", "agentmap health --url http://agentmap:8000 --timeout 2"],
  exitCodes: "0 the server answered 200 with status ok, 1 it did not answer in time, answered something else or could not be reached",
  run: ({ options: a, globals }) =>
    runStandalone(
      { json: a.json, indent: false },
      Effect.gen(function* () {
        const base =
          a.url ??
          (yield* loadConfig({ explicit: globals.config, env: process.env, cwd: process.cwd() }).pipe(
            Effect.map(({ config }) => `http://${reachable(config.http.host)}:${config.http.port}`),
            // a health probe must not depend on the config file being valid: fall back to serve's defaults
            Effect.orElseSucceed(() => "http://127.0.0.1:8000")
          ))
        const url = `${base.replace(/\/+$/, "")}/health`
        const started = Date.now()
        const outcome = yield* Effect.promise(async () => {
          try {
            const response = await fetch(url, { signal: AbortSignal.timeout((a.timeout ?? 5) * 1000) })
            const body = (await response.json().catch(() => ({}))) as Record<string, unknown>
            return { ok: response.status === 200 && body["status"] === "ok", status: response.status, body, error: undefined }
          } catch (e) {
            const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)
            return { ok: false, status: undefined, body: {} as Record<string, unknown>, error: cause }
          }
        })
        const latency = Date.now() - started
        if (a.json) printJson({ json: true, indent: false }, { healthy: outcome.ok, url, status: outcome.status ?? null, latency_ms: latency, ...(outcome.error !== undefined ? { error: outcome.error } : { body: outcome.body }) })
        else if (outcome.ok) process.stdout.write(`✔ ${url}: ok (${latency} ms${typeof outcome.body["version"] === "string" ? `, AgentMap ${outcome.body["version"]}` : ""})\n`)
        else process.stderr.write(`✖ ${url}: ${outcome.error !== undefined ? `unreachable (${outcome.error})` : `answered ${outcome.status} ${JSON.stringify(outcome.body)}`}\n`)
        return outcome.ok ? ExitCode.Ok : ExitCode.Failed
      })
    )
})
