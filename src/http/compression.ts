// How responses are compressed (@fastify/compress, registered in src/app.ts). Brotli at quality 4,
// the package's own default, with a 256 KB window (lgwin 18) instead of brotli's 4 MB (22). An
// open brotli stream holds memory for its window, and every client opening the overview holds one
// for /api/live and one for /api/live/spark while they stream: a heap snapshot at 10,000 kilns
// held two at ~10 MB each. `npm run bench:brotli` measures both windows on the
// real bodies: with the smaller one a stream of /api/live raised RSS 4.1 MB instead of 6.4, and
// the body came out smaller (1,301 KB instead of 1,384) and no slower (docs/benchmarks.md).
import { constants } from 'node:zlib';

/** The window, as a power of two: 2^18 bytes. */
export const BROTLI_LGWIN = 18;

/** Passed whole: the package merges brotliOptions shallowly, so `params` must repeat its quality. */
export const BROTLI_OPTIONS = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_LGWIN]: BROTLI_LGWIN },
} as const;
