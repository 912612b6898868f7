import { libraryBuild } from '../../tsup.library.js'

// import.meta.url locates @tbkit/core's spec files; the shim provides it in the CommonJS build.
export default libraryBuild({ shims: true })
