import type { NodeExecution } from "./RunResult.js"

/** How a finished run is judged (config `execution.success_policy`). */
export type SuccessPolicy =
  | { readonly _tag: "AllNodes" }
  | { readonly _tag: "FinalNode" }
  | { readonly _tag: "CriticalNodes"; readonly nodes: ReadonlyArray<string> }
  | { readonly _tag: "Custom"; readonly functionName: string }

export interface PolicyVerdict {
  readonly ok: boolean
  readonly failedNodes: ReadonlyArray<string>
  readonly message: string
}

const failedOf = (executions: ReadonlyArray<NodeExecution>) => [...new Set(executions.filter((e) => !e.success).map((e) => e.node))]

const verdict = (ok: boolean, failedNodes: ReadonlyArray<string>, rule: string): PolicyVerdict => ({
  ok,
  failedNodes,
  message: ok ? "" : `success policy ${rule} failed: ${failedNodes.length > 0 ? `failed nodes: ${failedNodes.join(", ")}` : "the policy function returned false"}`
})

/**
 * Only a node that raised counts as failed; choosing a failure route is a normal outcome.
 * `custom` is decided by the caller-supplied predicate (a user function loaded by the application).
 */
export const evaluate = (
  policy: SuccessPolicy,
  executions: ReadonlyArray<NodeExecution>,
  custom?: (executions: ReadonlyArray<NodeExecution>) => boolean
): PolicyVerdict => {
  switch (policy._tag) {
    case "AllNodes": {
      const failed = failedOf(executions)
      return verdict(failed.length === 0, failed, "all_nodes")
    }
    case "FinalNode": {
      const last = executions[executions.length - 1]
      const ok = last === undefined || last.success
      return verdict(ok, ok ? [] : [last!.node], "final_node")
    }
    case "CriticalNodes": {
      const critical = new Set(policy.nodes)
      const failed = failedOf(executions).filter((n) => critical.has(n))
      return verdict(failed.length === 0, failed, "critical_nodes")
    }
    case "Custom": {
      const ok = custom === undefined ? failedOf(executions).length === 0 : custom(executions)
      return verdict(ok, ok ? [] : failedOf(executions), `custom (${policy.functionName})`)
    }
  }
}
