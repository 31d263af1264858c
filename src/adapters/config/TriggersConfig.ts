import { type Diagnostic, error } from "../../domain/Diagnostic.js"
import { isJsonObject, type JsonObject } from "../../domain/Json.js"
import { NO_TRIGGERS, type ObjectMapping, type ScheduleMapping, type TableMapping, type TriggerConfig, type TriggerMapping } from "../../domain/TriggerMapping.js"

const entries = (raw: unknown, key: string): ReadonlyArray<Record<string, unknown>> => {
  const section = isJsonObject(raw) ? raw[key] : undefined
  return Array.isArray(section) ? section.filter(isJsonObject) : []
}
const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined)

/** Decodes the section; a mapping without its workflow or match key is an error naming `triggers.<kind>[i].<key>`. */
export const decodeTriggers = (raw: unknown, file: string, diagnostics: Array<Diagnostic>): TriggerConfig => {
  const at = { file, line: 1, column: 1 }
  const base = (kind: string, i: number, e: Record<string, unknown>, matchKey: string): TriggerMapping | undefined => {
    const missing = ["workflow", matchKey].filter((k) => text(e[k]) === undefined)
    for (const k of missing) diagnostics.push(error(at, "config-value", `triggers.${kind}[${i}].${k} is required`))
    if (e["state"] !== undefined && !isJsonObject(e["state"]))
      diagnostics.push(error(at, "config-value", `triggers.${kind}[${i}].state must be a mapping of state keys to values`))
    if (missing.length > 0) return undefined
    return {
      workflow: text(e["workflow"])!,
      ...(text(e["graph"]) !== undefined ? { graph: text(e["graph"])! } : {}),
      ...(isJsonObject(e["state"]) ? { state: e["state"] as JsonObject } : {}),
      ...(text(e["state_key"]) !== undefined ? { stateKey: text(e["state_key"])! } : {})
    }
  }
  const objects = (kind: "s3" | "gcs"): ReadonlyArray<ObjectMapping> =>
    entries(raw, kind).flatMap((e, i) => {
      const m = base(kind, i, e, "bucket")
      return m === undefined
        ? []
        : [{ ...m, bucket: text(e["bucket"])!, ...(text(e["prefix"]) !== undefined ? { prefix: text(e["prefix"])! } : {}), ...(text(e["suffix"]) !== undefined ? { suffix: text(e["suffix"])! } : {}) }]
    })
  const schedules: ReadonlyArray<ScheduleMapping> = entries(raw, "schedules").flatMap((e, i) => {
    const m = base("schedules", i, e, "rule")
    return m === undefined ? [] : [{ ...m, rule: text(e["rule"])! }]
  })
  const dynamodb: ReadonlyArray<TableMapping> = entries(raw, "dynamodb").flatMap((e, i) => {
    const m = base("dynamodb", i, e, "table")
    return m === undefined ? [] : [{ ...m, table: text(e["table"])!, ...(Array.isArray(e["events"]) ? { events: e["events"].map((v) => String(v).toUpperCase()) } : {}) }]
  })
  const azure = isJsonObject(raw) && isJsonObject(raw["azure"]) ? raw["azure"] : {}
  return {
    s3: objects("s3"),
    gcs: objects("gcs"),
    schedules,
    dynamodb,
    azure: {
      queueName: text(azure["queue_name"]) ?? NO_TRIGGERS.azure.queueName,
      connection: text(azure["connection"]) ?? NO_TRIGGERS.azure.connection
    }
  }
}
