import { type FileUpdater, isGantryError, type Resource, UpdaterError } from '@gantry/core';

export interface CustomUpdaterOptions<R extends Resource> {
  /** One line for humans, e.g. `terraform var app_digest`. */
  readonly describe: string;
  read(content: string, file: string): R | undefined;
  /** Should return `content` itself when nothing changes. */
  write(content: string, resource: R, file: string): string;
}

/**
 * Your own read and write functions for a file no ready-made updater understands.
 * Errors that are not Gantry errors become `UpdaterError`s naming the file.
 */
export function customUpdater<R extends Resource>(options: CustomUpdaterOptions<R>): FileUpdater<R> {
  const guard = <T>(file: string, fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (isGantryError(e)) throw e;
      const why = e instanceof Error ? e.message : String(e);
      throw new UpdaterError(why, { file, path: options.describe });
    }
  };
  return {
    describe: () => options.describe,
    read: (content, file) => guard(file, () => options.read(content, file)),
    write: (content, resource, file) => guard(file, () => options.write(content, resource, file)),
  };
}
