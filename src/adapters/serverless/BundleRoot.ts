let root: string | undefined

/**
 * Called by a cloud bundle's entry (scripts/build-cloud.mjs) with the bundle's own folder, where
 * the build copied workflows/ and prompts/: a container started from another folder still finds them.
 */
export const registerBundleRoot = (dir: string) => {
  root = dir
}

/** The cloud bundle's folder, or undefined when this code is not running from one. */
export const bundleRoot = () => root
