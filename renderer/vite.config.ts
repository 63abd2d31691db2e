// The workbench's build: React with a relative base, so the same dist/ loads from Electron's
// file:// URL and from `tandem serve` over HTTP.
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from '../core/contract/content-security-policy.ts';

// The built page carries its own strict CSP: web mode also sends it as a header, but Electron
// loads the page from file://, where response headers are not a dependable place for it. Dev
// mode (vite serve) goes without, since React's refresh preamble is an inline script.
// Web mode's policy; frame-ancestors only works as a header (a meta tag ignores it with a warning).
const CSP = CONTENT_SECURITY_POLICY.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'tandem-csp',
    apply: 'build',
    transformIndexHtml: (html) => html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`),
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
});
