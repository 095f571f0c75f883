// parseTopic reads a topic by the positions of its slashes: it must answer exactly as splitting
// the topic into its five parts did (the reference below, the code it replaced).
import { describe, expect, it } from 'vitest';
import { isValidId, parseTopic, TOPIC_KINDS, TOPIC_ROOT, type TopicKind, type TopicParse } from '../../src/wire/topics.ts';

function bySplit(topic: string): TopicParse {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) {
    return { ok: false, reason: 'unknown_topic', detail: `expected ${TOPIC_ROOT}/{workshop}/{kiln}/{telemetry|status|event}` };
  }
  const [, , workshop = '', kiln = '', kind = ''] = parts;
  if (!(TOPIC_KINDS as readonly string[]).includes(kind)) return { ok: false, reason: 'unknown_topic', detail: `unknown message kind "${kind.slice(0, 40)}"` };
  if (!isValidId(workshop)) return { ok: false, reason: 'bad_id', detail: 'workshop id must match [A-Za-z0-9_-]{1,40}' };
  if (!isValidId(kiln)) return { ok: false, reason: 'bad_id', detail: 'kiln id must match [A-Za-z0-9_-]{1,40}' };
  return { ok: true, topic: { workshop, kiln, kind: kind as TopicKind } };
}

describe('parseTopic', () => {
  const corners = [
    'kiln/v1/bt-01/K01/telemetry', 'kiln/v1/bt-01/K01/status', 'kiln/v1/bt-01/K01/event', 'kiln/v1/bt-01/K01/alert',
    'kiln/v1/bt-01/K01', 'kiln/v1/bt-01/K01/telemetry/', 'kiln/v1/bt-01/K01/telemetry/x', 'kiln/v1//K01/telemetry',
    'kiln/v1/bt-01//telemetry', 'kiln/v1/bt-01/K01/', 'kiln/v1/', 'kiln/v1', 'kiln/v1x/a/b/telemetry', 'kiln/v2/a/b/telemetry',
    'Kiln/v1/a/b/telemetry', '/kiln/v1/a/b/telemetry', 'kiln//v1/a/telemetry', '', '/', '////', 'kiln/v1///', 'kiln/v1/a/b/c',
    `kiln/v1/${'w'.repeat(40)}/K/telemetry`, `kiln/v1/${'w'.repeat(41)}/K/telemetry`, `kiln/v1/w/${'k'.repeat(41)}/status`,
    'kiln/v1/b t/K01/telemetry', 'kiln/v1/bt.01/K01/telemetry', 'kiln/v1/bt/K+/telemetry', 'kiln/v1/bt/#/telemetry',
    'kiln/v1/bàt/K01/event', `kiln/v1/a/b/${'x'.repeat(60)}`, 'kiln/v1/a/b/Telemetry', 'kiln/v1/a/b/telemetry ',
  ];
  it.each(corners)('"%s" as the split read it', (topic) => {
    expect(parseTopic(topic)).toEqual(bySplit(topic));
  });

  it('answers as the split for 20,000 topics made of good and bad parts', () => {
    const pieces = ['kiln', 'v1', 'v2', '', 'bt-01', 'K01', 'a_b', 'x y', 'é', 'telemetry', 'status', 'event', 'alert', '+', '#', 'w'.repeat(41)];
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return Math.floor(seed / 65_536) % n; };
    let ok = 0;
    for (let i = 0; i < 20_000; i++) {
      const n = 3 + rnd(4);
      const parts = Array.from({ length: n }, (_, j) => (j === 0 && rnd(4) ? 'kiln' : j === 1 && rnd(4) ? 'v1' : pieces[rnd(pieces.length)]!));
      const topic = parts.join('/');
      const got = parseTopic(topic);
      expect(got).toEqual(bySplit(topic));
      if (got.ok) ok++;
    }
    expect(ok).toBeGreaterThan(100); // the corpus does reach the good answer too
  });
});
