import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * A V8 CPU profile of this process, for the bench scripts' *_PROFILE settings: `startCpuProfile`
 * starts sampling (every `intervalUs` µs when given) and returns the function that stops it and
 * writes the profile, as JSON, to `file` (open it in Chrome DevTools or a speedscope).
 */
export async function startCpuProfile(intervalUs?: number): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  if (intervalUs !== undefined) await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  return async (file) => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}
