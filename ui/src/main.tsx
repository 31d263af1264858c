import { render } from "preact"
import { useState } from "preact/hooks"
import { credential, signOut } from "./api.js"
import { GraphPage } from "./GraphPage.js"
import { SignIn } from "./SignIn.js"
import { ThreadPage } from "./ThreadPage.js"
import { Threads } from "./Threads.js"
import { Workflows } from "./Workflows.js"
import { href, useRoute } from "./route.js"
import "./style.css"

const App = () => {
  const route = useRoute()
  const [signedIn, setSignedIn] = useState(credential() !== undefined)
  const [section, id, graph] = route.parts
  const page = !signedIn ? (
    <SignIn onSignedIn={() => setSignedIn(true)} />
  ) : section === "threads" && id !== undefined ? (
    <ThreadPage id={id} />
  ) : section === "threads" ? (
    <Threads query={route.query} />
  ) : section === "workflows" && id !== undefined ? (
    <GraphPage workflow={id} graph={graph} />
  ) : (
    <Workflows />
  )
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById("main")?.focus())}>
        Skip to content
      </a>
      <header>
        <span class="brand">AgentMap inspector</span>
        {signedIn ? (
          <nav aria-label="main">
            <a href={href("workflows")} aria-current={section !== "threads" ? "page" : undefined}>
              Workflows
            </a>
            <a href={href("threads")} aria-current={section === "threads" ? "page" : undefined}>
              Threads
            </a>
            <a href="../docs">API</a>
            <button type="button" class="link" onClick={() => (signOut(), setSignedIn(false))}>
              Sign out
            </button>
          </nav>
        ) : null}
      </header>
      {page}
    </>
  )
}

render(<App />, document.getElementById("app")!)
