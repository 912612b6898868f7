export { useEmulator } from './use-emulator.js'
