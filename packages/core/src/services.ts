/**
 * Typed service lookup. Core knows nothing of Git or OCI; the runtime that builds a
 * system registers the services its sources need (a Git repository manager, registry
 * clients) under typed keys, and sources look them up.
 */
export interface ServiceKey<T> {
  readonly id: string;
  /** Phantom: carries T for the type checker only. */
  readonly _type?: (value: T) => T;
}

export function serviceKey<T>(id: string): ServiceKey<T> {
  return { id };
}

export interface Services {
  get<T>(key: ServiceKey<T>): T;
  has<T>(key: ServiceKey<T>): boolean;
}

export class MissingServiceError extends Error {
  readonly code = 'missing_service';
  constructor(id: string) {
    super(`no "${id}" service is configured for this system`);
  }
}

export function createServices(entries: ReadonlyArray<readonly [ServiceKey<unknown>, unknown]> = []): Services & {
  set<T>(key: ServiceKey<T>, value: T): void;
} {
  const map = new Map<string, unknown>(entries.map(([k, v]) => [k.id, v]));
  return {
    get<T>(key: ServiceKey<T>): T {
      if (!map.has(key.id)) throw new MissingServiceError(key.id);
      return map.get(key.id) as T;
    },
    has: (key) => map.has(key.id),
    set(key, value) {
      map.set(key.id, value);
    },
  };
}

/** The subset of pino's logger that Gantry packages use; pino satisfies it. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};
