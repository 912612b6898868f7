/** The emulator's default app: fine to print, and what `tbk emulator` and the demo use. */
export const DEMO_APP_KEY = '12345678'
export const DEMO_APP_SECRET = 'tbkit-demo-secret'
