export declare const root: string;
export declare const CHROMIUM_ARGS: string[];
export declare function findChromium(): string | null;
export declare function freePort(): Promise<number>;
export declare function buildSnapshot(dataDir: string, out?: string): string;
export declare function startStack(options?: { snapshot?: string; apiUrl?: string; apiEnv?: Record<string, string>; webEnv?: Record<string, string> }): Promise<{ web: string; api: string; stop(): void; logs(): string }>;
export declare function pagesOfEachKind(api: string, search?: string): Promise<[string, string][]>;
