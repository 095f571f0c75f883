// npx tsx bench/decode-encode.bench.ts — what the ingest path's pure steps cost a message, on
// the ingest benchmark's own messages (bench/support/payload.ts: 4 zones, a flow meter and a
// scale, 100 kilns): decoding (src/domain/decode.ts) and the line protocol
// (src/adapters/influx/line-protocol.ts), µs a message, best of five passes. Topics and
// payloads are made anew for each message, as the MQTT client hands them over.
import { decodeMessage, type DecodeLimits } from '../src/domain/decode.ts';
import { toLineProtocol } from '../src/adapters/influx/line-protocol.ts';
import { KILNS, payloadOf, topicOf } from './support/payload.ts';
import { fmt, table } from './support/report.ts';

const MESSAGES = 200_000;
const PASSES = 5;
const limits: DecodeLimits = { max_payload_bytes: 65_536, max_future_ms: 300_000, max_past_ms: 30 * 86_400_000 };
const t0_ms = Math.floor(Date.now() / 1000) * 1000 - 86_400_000;
const now_ms = Date.now();

const topics = Array.from({ length: MESSAGES }, (_, i) => Buffer.from(topicOf(i)));
const payloads = Array.from({ length: MESSAGES }, (_, i) => Buffer.from(payloadOf(t0_ms, i)));

function pass(): { decode_us: number; encode_us: number; bytes: number } {
  let decode_ms = 0;
  let encode_ms = 0;
  let bytes = 0;
  for (let i = 0; i < MESSAGES; i += 1000) {
    const decoded = [];
    const a = performance.now();
    for (let j = i; j < i + 1000; j++) {
      const p = payloads[j]!;
      decoded.push(decodeMessage(topics[j]!.toString('utf8'), p.toString('utf8'), p.length, now_ms, limits));
    }
    const b = performance.now();
    for (const d of decoded) for (const p of d.points) bytes += toLineProtocol(p).length;
    encode_ms += performance.now() - b;
    decode_ms += b - a;
  }
  return { decode_us: (decode_ms * 1000) / MESSAGES, encode_us: (encode_ms * 1000) / MESSAGES, bytes };
}

const runs = Array.from({ length: PASSES }, pass);
const best = (k: 'decode_us' | 'encode_us') => Math.min(...runs.map((r) => r[k]));
const all = (k: 'decode_us' | 'encode_us') => runs.map((r) => fmt(r[k], 2)).join(', ');
process.stdout.write(`\ndecode and line protocol, ${fmt(MESSAGES)} messages of 6 readings over ${KILNS} kilns, node ${process.version}, this machine\n`);
process.stdout.write(table([
  { what: 'decodeMessage (µs a message)', measured: fmt(best('decode_us'), 2), target: `passes: ${all('decode_us')}` },
  { what: 'toLineProtocol, 6 points (µs a message)', measured: fmt(best('encode_us'), 2), target: `passes: ${all('encode_us')}` },
]) + '\n');
