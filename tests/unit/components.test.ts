// Starting and stopping the service's parts (src/components.ts), with fake components that
// record what was called: pure orchestration, no service behind it.
import { describe, expect, it } from 'vitest';
import { inOrder, startAll, stopAll, type Component } from '../../src/components.ts';
import { STOP_ORDER } from '../../src/runtime.ts';
import type { Logger } from '../../src/ports.ts';

interface Fake extends Component { readonly calls: string[] }

function fakes(names: readonly string[], opts: { failStart?: string; failStop?: string } = {}): { list: Fake[]; calls: string[] } {
  const calls: string[] = [];
  const list = names.map((name): Fake => ({
    name, calls,
    async start() {
      await Promise.resolve();
      if (name === opts.failStart) throw new Error(`${name} cannot start`);
      calls.push(`start ${name}`);
    },
    stop(deadline_ms) {
      calls.push(`stop ${name} ${deadline_ms}`);
      if (name === opts.failStop) throw new Error(`${name} cannot stop`);
    },
  }));
  return { list, calls };
}

/** A logger whose error lines are kept as `component: message`. */
function logSink(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const make = (component: string): Logger => ({ info() {}, warn() {}, error: (m: string) => { lines.push(`${component}: ${m}`); }, child: (b) => make(String(b.component)) });
  return { log: make('root'), lines };
}

describe('components', () => {
  it('start in list order and stop in the runtime\'s order, the deadline passed to each stop', async () => {
    const { list, calls } = fakes(['heap', 'store', 'spool', 'alerts', 'drainer', 'pipeline', 'guard', 'mqtt', 'rates', 'indexer', 'downsampler', 'live', 'cluster']);
    await startAll(list, logSink().log);
    await stopAll(inOrder(list, STOP_ORDER), 10_000, logSink().log);
    expect(calls).toEqual([
      'start heap', 'start store', 'start spool', 'start alerts', 'start drainer', 'start pipeline', 'start guard', 'start mqtt', 'start rates', 'start indexer', 'start downsampler', 'start live', 'start cluster',
      // several instances: leave the group first (the others take the kilns over at once);
      // alerts close, then the pipeline takes nothing more, then the sources close ...
      'stop cluster 10000', 'stop alerts 10000', 'stop pipeline 10000', 'stop mqtt 10000', 'stop guard 10000', 'stop live 10000', 'stop indexer 10000', 'stop downsampler 10000',
      // ... and the drainer writes what is spooled before the spool and the store close
      'stop drainer 10000', 'stop rates 10000', 'stop spool 10000', 'stop store 10000',
      // the heap watch tells of memory to the last
      'stop heap 10000',
    ]);
  });

  it('a failing start stops those already started in reverse (deadline 0), not itself or later ones, and throws', async () => {
    const { list, calls } = fakes(['store', 'spool', 'drainer', 'mqtt', 'indexer'], { failStart: 'mqtt' });
    await expect(startAll(list, logSink().log)).rejects.toThrow('mqtt cannot start');
    expect(calls).toEqual(['start store', 'start spool', 'start drainer', 'stop drainer 0', 'stop spool 0', 'stop store 0']);
  });

  it('a failing stop is logged under its name and the others still stop', async () => {
    const { list, calls } = fakes(['a', 'b', 'c'], { failStop: 'b' });
    const sink = logSink();
    await stopAll(list, 5, sink.log);
    expect(calls).toEqual(['stop a 5', 'stop b 5', 'stop c 5']);
    expect(sink.lines).toEqual(['b: stop failed: b cannot stop']);
  });

  it('a stop order must name each component exactly once', () => {
    const { list } = fakes(['a', 'b', 'c']);
    expect(inOrder(list, ['c', 'a', 'b']).map((c) => c.name)).toEqual(['c', 'a', 'b']);
    expect(() => inOrder(list, ['c', 'a'])).toThrow(/does not name each/);
    expect(() => inOrder(list, ['c', 'a', 'b', 'd'])).toThrow(/does not name each/);
    expect(() => inOrder(list, ['c', 'a', 'a', 'b'])).toThrow(/does not name each/);
  });
});
