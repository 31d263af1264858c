/** Routing function for routing_function.csv: called as (state, successTarget, failureTarget). */
export function route_by_score(state: Record<string, unknown>): string {
  const score = Number(state["score"])
  if (score >= 90) return "Excellent"
  if (score >= 50) return "Pass"
  return "Fail"
}
