import path from 'node:path';
import { z } from 'zod';
import { ZIceServers } from './shared/mesh';

/** Parses a comma-separated list, dropping blanks. */
const commaList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const ZEnv = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: optionalText.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
    AUTH_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    /** The public origin users reach us at; also the socket.io origin allowlist's first entry. */
    PUBLIC_URL: optionalText.pipe(z.url().optional()),
    /** Extra origins allowed to open sockets (exact match, comma-separated). */
    ALLOWED_ORIGINS: commaList.pipe(z.array(z.url())).default([]),
    /** Seed the demo negotiation on first start; defaults to on for SQLite, off for PostgreSQL. */
    SEED_DEMO: z.enum(['auto', 'true', 'false']).default('auto'),
    /**
     * How many reverse proxies stand in front of us and append to X-Forwarded-For (`true` is 1,
     * `false` is 0). The client address is the entry the outermost trusted proxy appended, so what a
     * client writes in the header itself is never believed (rate limits).
     */
    TRUST_PROXY: z
      .string()
      .trim()
      .regex(/^(true|false|\d{1,2})$/, 'must be true, false or the number of trusted proxies')
      .default('false')
      .transform((value) => (value === 'true' ? 1 : value === 'false' ? 0 : Number(value))),
    OIDC_ISSUER: optionalText.pipe(z.url().optional()),
    OIDC_CLIENT_ID: optionalText,
    OIDC_CLIENT_SECRET: optionalText,
    OIDC_NAME: z.string().trim().min(1).default('Single sign-on'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** A LiveKit server (ws://, wss://, http:// or https://); with its key and secret it carries video. */
    LIVEKIT_URL: optionalText.pipe(
      z
        .string()
        .regex(/^(wss?|https?):\/\/[^\s]+$/, 'must be a ws://, wss://, http:// or https:// URL')
        .optional(),
    ),
    LIVEKIT_API_KEY: optionalText,
    // No length rule: `livekit-server --dev` uses the secret "secret".
    LIVEKIT_API_SECRET: optionalText,
    /**
     * V18: where LiveKit's egress writes a session's recording — a path on the egress host, with
     * LiveKit's `{room_name}` and `{time}` templates; the object key when S3 is set.
     */
    RECORDING_FILEPATH: z.string().trim().min(1).default('recordings/{room_name}-{time}.mp4'),
    /** With a bucket, the egress uploads the recording to S3 (or an S3-compatible store at the endpoint). */
    RECORDING_S3_BUCKET: optionalText,
    RECORDING_S3_REGION: optionalText,
    RECORDING_S3_ENDPOINT: optionalText.pipe(z.url().optional()),
    RECORDING_S3_ACCESS_KEY: optionalText,
    RECORDING_S3_SECRET: optionalText,
    /**
     * V36: ICE servers for the peer-to-peer mesh, as a JSON array of RTCIceServer
     * (`[{"urls":"stun:stun.example.org"},{"urls":"turn:turn.example.org","username":"u","credential":"p"}]`).
     * None by default: browsers on one local network connect with their own addresses.
     */
    MESH_ICE_SERVERS: optionalText.pipe(
      z
        .string()
        .transform((value, ctx) => {
          try {
            return JSON.parse(value) as unknown;
          } catch {
            ctx.addIssue({ code: 'custom', message: 'must be a JSON array of ICE servers' });
            return z.NEVER;
          }
        })
        .pipe(ZIceServers)
        .optional(),
    ).transform((servers) => servers ?? []),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: 'custom',
        path: ['OIDC_ISSUER'],
        message: 'OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together',
      });
    }
    // Half a LiveKit configuration would silently fall back to the mesh: say so at start instead.
    const livekit = { LIVEKIT_URL: env.LIVEKIT_URL, LIVEKIT_API_KEY: env.LIVEKIT_API_KEY, LIVEKIT_API_SECRET: env.LIVEKIT_API_SECRET };
    const missing = Object.entries(livekit)
      .filter(([, value]) => !value)
      .map(([name]) => name);
    if (missing.length > 0 && missing.length < 3) {
      ctx.addIssue({
        code: 'custom',
        path: missing.slice(0, 1),
        message: `LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be set together (missing: ${missing.join(', ')})`,
      });
    }
    if (env.RECORDING_S3_BUCKET && !(env.RECORDING_S3_ACCESS_KEY && env.RECORDING_S3_SECRET)) {
      ctx.addIssue({ code: 'custom', path: ['RECORDING_S3_BUCKET'], message: 'RECORDING_S3_BUCKET needs RECORDING_S3_ACCESS_KEY and RECORDING_S3_SECRET' });
    }
  });

export type TEnv = z.infer<typeof ZEnv> & { dataDir: string };

/** Thrown when a setting is invalid; the message names every offending variable. */
export class InvalidEnvironmentError extends Error {}

/** Reads and validates the configuration; throws InvalidEnvironmentError naming each bad variable. */
export function readEnv(source: Record<string, string | undefined> = process.env): TEnv {
  const result = ZEnv.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`,
    );
    throw new InvalidEnvironmentError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...result.data, dataDir: path.resolve(result.data.DATA_DIR) };
}

let cached: TEnv | undefined;

/** The validated configuration of this process, read once. */
export function env(): TEnv {
  cached ??= readEnv();
  return cached;
}
