import { useState } from "preact/hooks"
import { ApiError, post } from "./api.js"
import type { Interrupt } from "./types.js"

/** The pending interrupt as a form fitting its interaction type; answering resumes the thread (POST /resume/{id}). */
export const InterruptForm = ({ threadId, interrupt, onResumed }: { readonly threadId: string; readonly interrupt: Interrupt; readonly onResumed: () => void }) => {
  const payload = interrupt.payload ?? {}
  const kind = interrupt.type === "human" ? (payload.interaction_type ?? "approval") : "suspend"
  const current = payload.current_value ?? payload.value
  const [text, setText] = useState(typeof current === "string" ? current : current === undefined ? "" : JSON.stringify(current, null, 2))
  const [choice, setChoice] = useState(1)
  const [action, setAction] = useState("continue")
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ readonly kind: "error" | "conflict"; readonly text: string } | undefined>()

  const resume = async (body: { action?: string; data?: unknown }) => {
    setBusy(true)
    setMessage(undefined)
    try {
      await post(`resume/${encodeURIComponent(threadId)}`, body)
      onResumed()
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setMessage({ kind: "conflict", text: `Someone else already answered this interrupt (409): ${err.message}` })
      else setMessage({ kind: "error", text: (err as Error).message })
    } finally {
      setBusy(false)
    }
  }
  const submit = (e: Event) => {
    e.preventDefault()
    if (kind === "choice") return void resume({ data: { choice } })
    if (kind === "text_input") return void resume({ data: { text } })
    if (kind === "edit") return void resume({ data: { edited: text } })
    let data: unknown = undefined
    try {
      data = text.trim() === "" ? undefined : JSON.parse(text)
    } catch {
      setMessage({ kind: "error", text: "Data must be JSON" })
      return
    }
    return void resume({ action, ...(data !== undefined ? { data } : {}) })
  }
  return (
    <section class="card interrupt" aria-labelledby="interrupt-title">
      <h2 id="interrupt-title">Waiting at {interrupt.node}</h2>
      <p>
        <span class="badge">{kind}</span> {payload.prompt ?? ""}
      </p>
      {kind === "approval" ? (
        <div class="inline">
          <button type="button" disabled={busy} onClick={() => resume({ action: "approve" })}>
            Approve
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={() => resume({ action: "reject" })}>
            Reject
          </button>
        </div>
      ) : (
        <form onSubmit={submit}>
          {kind === "choice" ? (
            <fieldset>
              <legend>Options</legend>
              {(payload.options ?? []).map((o, i) => (
                <label key={i}>
                  <input type="radio" name="choice" checked={choice === i + 1} onChange={() => setChoice(i + 1)} /> {typeof o === "string" ? o : JSON.stringify(o)}
                </label>
              ))}
            </fieldset>
          ) : null}
          {kind === "suspend" ? (
            <div class="field">
              <label for="resume-action">Action</label>
              <input id="resume-action" value={action} onInput={(e) => setAction((e.target as HTMLInputElement).value)} />
            </div>
          ) : null}
          {kind !== "choice" ? (
            <div class="field">
              <label for="resume-text">{kind === "text_input" ? "Answer" : kind === "edit" ? "Edit the value" : "Data (JSON, optional)"}</label>
              <textarea id="resume-text" rows={4} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
            </div>
          ) : null}
          <button type="submit" disabled={busy}>
            Resume
          </button>
        </form>
      )}
      {message !== undefined ? (
        <p role="alert" class={message.kind === "conflict" ? "conflict" : "error"}>
          {message.text}{" "}
          {message.kind === "conflict" ? (
            <button type="button" class="link" onClick={onResumed}>
              Show the thread as it is now
            </button>
          ) : null}
        </p>
      ) : null}
    </section>
  )
}
