// Hash routes (#/workflows/…, #/threads/…): the page is one file under <prefix>/ui/, so any
// prefix or gateway stage in front keeps working and a reload never asks the server for a path.
import { useEffect, useState } from "preact/hooks"

export interface Route {
  readonly parts: ReadonlyArray<string>
  readonly query: URLSearchParams
}

const parse = (): Route => {
  const hash = location.hash.replace(/^#\/?/, "")
  const [path = "", query = ""] = hash.split("?")
  return { parts: path.split("/").filter((p) => p !== "").map(decodeURIComponent), query: new URLSearchParams(query) }
}

export const useRoute = () => {
  const [route, setRoute] = useState(parse)
  useEffect(() => {
    const changed = () => setRoute(parse())
    addEventListener("hashchange", changed)
    return () => removeEventListener("hashchange", changed)
  }, [])
  return route
}

export const href = (...parts: ReadonlyArray<string>) => `#/${parts.map(encodeURIComponent).join("/")}`
export const go = (target: string) => {
  location.hash = target
}
