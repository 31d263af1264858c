import { useState } from "preact/hooks"
import { type Credential, get, signIn, signOut } from "./api.js"

/** Sign-in with an API key (x-api-key) or a JWT (Authorization: Bearer), checked by listing the workflows. */
export const SignIn = ({ onSignedIn }: { readonly onSignedIn: () => void }) => {
  const [kind, setKind] = useState<Credential["kind"]>("key")
  const [value, setValue] = useState("")
  const [error, setError] = useState<string | undefined>()
  const submit = async (e: Event) => {
    e.preventDefault()
    signIn({ kind, value: value.trim() })
    try {
      await get("workflows")
      onSignedIn()
    } catch (err) {
      signOut()
      setError(`Sign-in failed: ${(err as Error).message}`)
    }
  }
  return (
    <main id="main">
      <h1>Sign in</h1>
      <p>The inspector calls the AgentMap API with your credential. It stays in this tab (session storage) and is sent as a header, never a cookie.</p>
      <form onSubmit={submit} class="card">
        <fieldset>
          <legend>Credential type</legend>
          <label>
            <input type="radio" name="kind" checked={kind === "key"} onChange={() => setKind("key")} /> API key
          </label>
          <label>
            <input type="radio" name="kind" checked={kind === "jwt"} onChange={() => setKind("jwt")} /> JWT (bearer token)
          </label>
        </fieldset>
        <label for="credential">{kind === "key" ? "API key" : "JWT"}</label>
        <input id="credential" type="password" autoComplete="off" required value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
        <button type="submit">Sign in</button>
        {error !== undefined ? <p role="alert" class="error">{error}</p> : null}
      </form>
    </main>
  )
}
