import createNextIntlPlugin from 'next-intl/plugin';

const withNextIntl = createNextIntlPlugin('./i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // forbidden() answers 403 with app/forbidden.tsx, so refused pages are real 403s, not redirects.
  // Routes load on first use instead of all at start: about 15 MB less resident for a server whose
  // traffic is mostly sockets, for one slower first request per route.
  experimental: { authInterrupts: true, preloadEntriesOnStart: false },
  reactStrictMode: true,
  // Native and Node-only modules stay outside the bundle and load from node_modules at run time.
  serverExternalPackages: ['better-sqlite3', 'pg', '@node-rs/argon2', 'yjs'],
  // `npm run typecheck` checks the whole project (app, lib and server) in one pass; doing it again
  // inside every build only slows `npm start`.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Permissions-Policy', value: 'camera=(self), microphone=(self), display-capture=(self), geolocation=()' },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
