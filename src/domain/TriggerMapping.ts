import type { JsonObject } from "./Json.js"
import type { RunPayload } from "./TriggerPayload.js"

/**
 * How an event that carries no payload of its own (an object landing in a bucket, a schedule
 * firing, a row changing) becomes a run: config section `triggers`.
 */
export interface TriggerMapping {
  readonly workflow: string
  readonly graph?: string
  /** Constant initial state. */
  readonly state?: JsonObject
  /** The event's fields go under this key; without it they are merged into the state's top level. */
  readonly stateKey?: string
}

export interface ObjectMapping extends TriggerMapping {
  readonly bucket: string
  readonly prefix?: string
  readonly suffix?: string
}

export interface ScheduleMapping extends TriggerMapping {
  readonly rule: string
}

export interface TableMapping extends TriggerMapping {
  readonly table: string
  /** Which stream events run it (default all: INSERT, MODIFY, REMOVE). */
  readonly events?: ReadonlyArray<string>
}

export interface TriggerConfig {
  readonly s3: ReadonlyArray<ObjectMapping>
  readonly gcs: ReadonlyArray<ObjectMapping>
  readonly schedules: ReadonlyArray<ScheduleMapping>
  readonly dynamodb: ReadonlyArray<TableMapping>
  readonly azure: { readonly queueName: string; readonly connection: string }
}

export const NO_TRIGGERS: TriggerConfig = { s3: [], gcs: [], schedules: [], dynamodb: [], azure: { queueName: "agentmap-runs", connection: "AzureWebJobsStorage" } }

/** The run a mapping makes of an event summarised as `fields`. */
export const payloadFor = (mapping: TriggerMapping, fields: JsonObject): RunPayload => ({
  workflow: mapping.workflow,
  ...(mapping.graph !== undefined ? { graph: mapping.graph } : {}),
  state: mapping.stateKey !== undefined ? { ...mapping.state, [mapping.stateKey]: fields } : { ...mapping.state, ...fields }
})

/** The first mapping for this bucket whose prefix and suffix match the object key. */
export const objectMappingFor = (mappings: ReadonlyArray<ObjectMapping>, bucket: string, key: string) =>
  mappings.find((m) => m.bucket === bucket && key.startsWith(m.prefix ?? "") && key.endsWith(m.suffix ?? ""))

export const scheduleMappingFor = (mappings: ReadonlyArray<ScheduleMapping>, rule: string) => mappings.find((m) => m.rule === rule)

export const tableMappingFor = (mappings: ReadonlyArray<TableMapping>, table: string, eventName: string) =>
  mappings.find((m) => m.table === table && (m.events === undefined || m.events.includes(eventName)))
