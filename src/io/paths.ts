/** Path questions the I/O edges share. */
import { isAbsolute, relative } from 'node:path';

/** Whether `path` is `folder` or below it (both absolute, symbolic links already resolved). */
export const isBelow = (path: string, folder: string): boolean => {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};
