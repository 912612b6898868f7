import * as z from 'zod/v4'

/** Digit ids (adzone, site, category, trade): the platform's ids pass 2^53, so they travel as strings. */
export const digits = (what: string) => z.string().regex(/^\d{1,20}$/, `${what} must be digits`)

export const adzoneIdInput = digits('adzone_id')
  .optional()
  .describe("Your 推广位 id (adzone id: the last part of your pid mm_x_y_z). Default: the server's configured one.")
