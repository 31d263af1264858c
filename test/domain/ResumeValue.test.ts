import { describe, expect, it } from "vitest"
import { resumeFromValue } from "../../src/domain/ResumeValue.js"

const human = (interaction_type: string) => ({ type: "human", payload: { interaction_type, options: ["a", "b"] } })

describe("a LangGraph command.resume value as the node's { action, data }", () => {
  it("takes { action, data } as it is, action words, and true/false as approve/reject", () => {
    expect(resumeFromValue({ action: "edit", data: { edited: 1 } }, human("edit"))).toEqual({ action: "edit", data: { edited: 1 } })
    expect(resumeFromValue("reject", human("approval"))).toEqual({ action: "reject", data: null })
    expect(resumeFromValue(true, human("approval"))).toEqual({ action: "approve", data: null })
    expect(resumeFromValue(false, null)).toEqual({ action: "reject", data: null })
  })

  it("makes any other value the data of the action the interrupt expects", () => {
    expect(resumeFromValue(2, human("choice"))).toEqual({ action: "choose", data: 2 })
    expect(resumeFromValue("fine", human("text_input"))).toEqual({ action: "respond", data: { text: "fine" } })
    expect(resumeFromValue({ x: 1 }, human("edit"))).toEqual({ action: "edit", data: { edited: { x: 1 } } })
    expect(resumeFromValue({ approved: false }, human("approval"))).toEqual({ action: "reject", data: { approved: false } })
    expect(resumeFromValue("hello", { type: "input", payload: {} })).toEqual({ action: "continue", data: "hello" })
  })
})
