export declare const LIVEKIT_SERVER_VERSION: string;
export declare const LIVEKIT_SERVER_BINARY: string;
export declare const DEV_API_KEY: string;
export declare const DEV_API_SECRET: string;
export declare function ensureLiveKitServer(options?: { log?: (line: string) => void }): { binary: string; builtInSeconds: number };
export declare function freePort(kind?: 'tcp' | 'udp'): Promise<number>;
export declare function liveKitConfig(options: { port: number; rtcTcpPort: number; rtcUdpPort: number; webhookUrl?: string; redis?: string; apiKey?: string; apiSecret?: string }): string;
export interface TLiveKitServer {
  url: string;
  apiKey: string;
  apiSecret: string;
  ports: { port: number; rtcTcpPort: number; rtcUdpPort: number };
  pid: number | undefined;
  stop(): Promise<void>;
}
export declare function startLiveKitServer(options?: { port?: number; webhookUrl?: string; redis?: string; logFile?: string; apiKey?: string; apiSecret?: string }): Promise<TLiveKitServer>;
