/** Within what the installed workerd (1.20260426) supports, so nothing is fetched or refused. */
export const COMPATIBILITY_DATE = '2026-04-01'
