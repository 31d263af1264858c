// The inspector's calls to the AgentMap HTTP API: relative to the page (<prefix>/ui/ → <prefix>/),
// the credential from the tab's session storage, sent as a header (never a cookie).

const STORE = "agentmap.credential"

export interface Credential {
  readonly kind: "key" | "jwt"
  readonly value: string
}

export const credential = (): Credential | undefined => {
  const raw = sessionStorage.getItem(STORE)
  if (raw === null) return undefined
  try {
    return JSON.parse(raw) as Credential
  } catch {
    return undefined
  }
}

export const signIn = (c: Credential) => sessionStorage.setItem(STORE, JSON.stringify(c))
export const signOut = () => sessionStorage.removeItem(STORE)

const apiBase = () => new URL("../", document.baseURI)

const headers = (json: boolean): Record<string, string> => {
  const c = credential()
  const h: Record<string, string> = { accept: "application/json" }
  if (json) h["content-type"] = "application/json"
  if (c?.kind === "key") h["x-api-key"] = c.value
  if (c?.kind === "jwt") h["authorization"] = `Bearer ${c.value}`
  return h
}

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
  }
}

export const url = (path: string) => new URL(path.replace(/^\//, ""), apiBase()).href

const problem = async (response: Response) => {
  const text = await response.text()
  try {
    const body = JSON.parse(text) as { message?: string; error?: string }
    return new ApiError(response.status, body.message ?? body.error ?? text)
  } catch {
    return new ApiError(response.status, text || response.statusText)
  }
}

export const get = async <A>(path: string): Promise<A> => {
  const response = await fetch(url(path), { headers: headers(false) })
  if (!response.ok) throw await problem(response)
  return (await response.json()) as A
}

export const post = async <A>(path: string, body: unknown): Promise<A> => {
  const response = await fetch(url(path), { method: "POST", headers: headers(true), body: JSON.stringify(body) })
  if (!response.ok) throw await problem(response)
  return (await response.json()) as A
}

export interface StreamEvent {
  readonly event: string
  readonly data: Record<string, unknown>
}

/** POSTs and reads the server-sent events of the answer, one call of `onEvent` per event. */
export const stream = async (path: string, body: unknown, onEvent: (e: StreamEvent) => void): Promise<void> => {
  const response = await fetch(url(path), { method: "POST", headers: { ...headers(true), accept: "text/event-stream" }, body: JSON.stringify(body) })
  if (!response.ok || response.body === null) throw await problem(response)
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ""
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += value.replace(/\r\n/g, "\n")
    let end = buffer.indexOf("\n\n")
    while (end >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      end = buffer.indexOf("\n\n")
      let event = "message"
      const data: string[] = []
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim()
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""))
      }
      if (data.length === 0) continue
      try {
        onEvent({ event, data: JSON.parse(data.join("\n")) as Record<string, unknown> })
      } catch {
        onEvent({ event, data: { text: data.join("\n") } })
      }
    }
  }
}
