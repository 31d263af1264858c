// The hand-written 3-node LangGraph echo chain the benchmarks compare against (v0 → v1 → v2 → v3).
import { Annotation, END, START, StateGraph } from "@langchain/langgraph"

const State = Annotation.Root({ v0: Annotation(), v1: Annotation(), v2: Annotation(), v3: Annotation() })

export const echoChain = () =>
  new StateGraph(State)
    .addNode("N0", (s) => ({ v1: s.v0 }))
    .addNode("N1", (s) => ({ v2: s.v1 }))
    .addNode("N2", (s) => ({ v3: s.v2 }))
    .addEdge(START, "N0")
    .addEdge("N0", "N1")
    .addEdge("N1", "N2")
    .addEdge("N2", END)
    .compile()
