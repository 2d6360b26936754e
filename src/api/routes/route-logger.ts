/** The slice of a pino-style logger the gateway routes use (object first, message second). */
export interface RouteLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

const line = (level: string) => (obj: Record<string, unknown>, msg: string) =>
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg, ...obj })}\n`);

/** JSON lines on stdout, used when the app injects no logger. */
export const consoleRouteLogger: RouteLogger = { info: line('info'), warn: line('warn'), error: line('error') };
