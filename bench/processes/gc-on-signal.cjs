'use strict';
/**
 * Preloaded with `--require` (and `--expose-gc`) into the bench's worker and API processes: SIGUSR2 runs a full GC, so
 * the memory scenario reads resident memory after garbage is collected rather than wherever the collector happened
 * to be. Every thread collects, not only the main one: the SDK runs workflows in worker threads, whose uncollected
 * garbage is resident too, and a workflow whose activations leave more garbage would otherwise read as costing more
 * per cached workflow than it keeps.
 *
 * Plain CommonJS because it runs where tsx does not: worker threads inherit the process's `--require` preloads (not
 * its `--import` ones, nor tsx's loader), so this file is the one piece of bench code inside each workflow thread.
 * Installed at start-up, before anything else: an unhandled SIGUSR2 would end the process.
 */
const { BroadcastChannel, isMainThread } = require('node:worker_threads');

const collect = () => globalThis.gc?.();
const channel = new BroadcastChannel('chargeloop-bench-gc');
// The channel must keep no thread alive that has nothing else to do.
channel.unref();
if (isMainThread) {
  process.on('SIGUSR2', () => {
    collect();
    channel.postMessage('gc');
  });
} else {
  channel.onmessage = collect;
}
