import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The first executable `name` on PATH, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Hand the URL to the desktop's browser with xdg-open (detached, output discarded, so a chatty
 * browser does not write into the terminal). Returns false when there is no xdg-open or no
 * display: the caller prints the URL instead.
 */
export function openBrowser(url: string, env: NodeJS.ProcessEnv): boolean {
  const opener = findOnPath('xdg-open', env);
  if (opener === undefined || (env['DISPLAY'] === undefined && env['WAYLAND_DISPLAY'] === undefined)) return false;
  try {
    const child = spawn(opener, [url], { detached: true, stdio: 'ignore', env });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
