// Zod builds fast object parsers with `new Function` where eval is allowed, and finds out by
// trying once. The page's Content Security Policy forbids eval (script-src 'self'), so the probe
// only fails and makes the browser report a CSP violation. Jitless mode skips both; it has to be
// set before any schema is built, so main.tsx imports this module first.
import { config } from 'zod';

config({ jitless: true });
