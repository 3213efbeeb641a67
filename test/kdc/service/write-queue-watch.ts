import { Socket } from 'node:net';
import { vi } from 'vitest';

/**
 * The most bytes any server-side socket on `port` has held in Node's user-space write buffer
 * (`writableLength`), sampled after every write: replies the kernel could not take yet. Wraps
 * Socket.prototype.write with a spy; the caller's afterEach restores it (vi.restoreAllMocks).
 */
export function watchServerWriteQueue(port: number): { readonly most: number } {
  const watch = { most: 0 };
  const write = Socket.prototype.write;
  vi.spyOn(Socket.prototype, 'write').mockImplementation(function (this: Socket, ...args: Parameters<Socket['write']>) {
    const r = write.apply(this, args);
    if (this.localPort === port) watch.most = Math.max(watch.most, this.writableLength);
    return r;
  });
  return watch;
}
