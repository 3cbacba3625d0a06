// The attribution window's bound, shared by the rules schema (client code too) and the fm_ref cookie: no Node imports here.
/**
 * The longest attribution window the rules allow (attributionDays); the fm_ref cookie lives this long, since the proxy that
 * sets it reads no rules (no database there): sign-up applies the configured window to the visit time the cookie carries.
 */
export const MAX_ATTRIBUTION_DAYS = 30;
