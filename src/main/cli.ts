import { main } from "../adapters/cli/Cli.js"
import { registerHostModule } from "../adapters/modules/HostModules.js"
import { packageVersion } from "../adapters/version/PackageVersion.js"

// user modules importing `agentmap` get the library API bundled here, loaded only when one does
registerHostModule("agentmap", () => import("./index.js"))

void main(process.argv, packageVersion())
