/** What a GET answered, however it was sent (a server, a web handler, a cloud event). */
export interface Fetched {
  readonly status: number
  readonly contentType: string
  readonly cacheControl: string
  readonly text: string
}

export type Get = (url: URL) => Promise<Fetched>

export const fetched = async (response: Response): Promise<Fetched> => ({
  status: response.status,
  contentType: response.headers.get("content-type") ?? "",
  cacheControl: response.headers.get("cache-control") ?? "",
  text: await response.text()
})

/** What a browser showing the page fetches: `src` and `href` attributes, and the OpenAPI document the viewer is pointed at. */
export const references = (html: string): ReadonlyArray<string> => [
  ...new Set([...[...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!), ...[...html.matchAll(/\burl: new URL\("([^"]*)"/g)].map((m) => m[1]!)])
]

export interface DocsView {
  readonly page: Fetched
  /** Each reference of the page, as written and as the server answered it. */
  readonly assets: ReadonlyArray<Fetched & { readonly ref: string; readonly url: string }>
}

/** Loads `/docs` like a browser: the page, then everything it references, resolved against the page's URL. */
export const viewDocs = async (pageUrl: string, get: Get): Promise<DocsView> => {
  const page = await get(new URL(pageUrl))
  const assets = await Promise.all(
    references(page.text).map(async (ref) => {
      const url = new URL(ref, pageUrl)
      return { ref, url: url.pathname, ...(await get(url)) }
    })
  )
  return { page, assets }
}

/** The content type a browser needs for each kind of reference. */
export const typeFor = (ref: string) => (ref.endsWith(".css") ? "text/css" : ref.endsWith(".js") ? "text/javascript" : ref.endsWith(".json") ? "application/json" : "?")

const REMOTE_HOSTS = /(?:https?:)?\/\/[^\s"'`)]*(?:cdn|font|unpkg|googleapis|gstatic|jsdelivr|typekit)/gi

/**
 * What in a served file would make a browser load something from another host: in CSS any
 * `url(...)` that is not inline data and any `@import`; in any file a CDN or web-font address.
 */
export const offHostLoads = (ref: string, text: string): ReadonlyArray<string> => [
  ...(ref.endsWith(".css")
    ? [...[...text.matchAll(/url\(\s*['"]?([^'")\s]*)/g)].map((m) => m[1]!).filter((u) => !u.startsWith("data:")), ...[...text.matchAll(/@import[^;]*/g)].map((m) => m[0])]
    : []),
  ...[...text.matchAll(REMOTE_HOSTS)].map((m) => m[0])
]
