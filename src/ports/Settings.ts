import { Context } from "effect"
import type { SuccessPolicy } from "../domain/SuccessPolicy.js"

/** Execution settings the application needs, already decoded from configuration. */
export interface ExecutionSettings {
  readonly successPolicy: SuccessPolicy
  /** Upper bound on steps per run; `undefined` = derived from the graph size. */
  readonly maxSteps: number | undefined
  readonly trackExecutions: boolean
}

export class Settings extends Context.Tag("agentmap/Settings")<Settings, ExecutionSettings>() {}
