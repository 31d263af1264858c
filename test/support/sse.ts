export interface Received {
  readonly at: number
  readonly event: string | undefined
  readonly data: unknown
  readonly comment: boolean
}

/** Reads a Server-Sent Events response frame by frame, noting when each frame arrived. */
export const readEvents = async (response: Response, stopAfter?: (e: Received) => boolean): Promise<{ frames: Array<Received>; ended: boolean }> => {
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  const frames: Array<Received> = []
  let buffer = ""
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return { frames, ended: true }
    buffer += decoder.decode(value, { stream: true })
    let cut: number
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut)
      buffer = buffer.slice(cut + 2)
      const lines = block.split("\n")
      const event = lines.find((l) => l.startsWith("event: "))?.slice(7)
      const data = lines.find((l) => l.startsWith("data: "))?.slice(6)
      const frame = { at: Date.now(), event, data: data === undefined ? undefined : JSON.parse(data), comment: lines.every((l) => l.startsWith(":")) }
      frames.push(frame)
      if (stopAfter?.(frame) === true) {
        await reader.cancel()
        return { frames, ended: false }
      }
    }
  }
}
