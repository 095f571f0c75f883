// The embedded broker's packet size guard follows MQTT packet boundaries however the bytes are cut.
import { describe, expect, it } from 'vitest';
import { PacketSizeGuard, maxPacketBytes, PACKET_OVERHEAD_BYTES } from '../../src/adapters/mqtt/packet-size-guard.ts';

/** One MQTT packet: type byte, remaining length (1-4 bytes, 7 bits each), then a body of that length. */
function packet(remaining_bytes: number, type = 0x30): Buffer {
  const len: number[] = [];
  let x = remaining_bytes;
  do {
    let b = x % 128;
    x = Math.floor(x / 128);
    if (x > 0) b |= 0x80;
    len.push(b);
  } while (x > 0);
  return Buffer.concat([Buffer.from([type, ...len]), Buffer.alloc(remaining_bytes, 0x61)]);
}

/** Feed a stream cut into chunks of the given sizes; returns what each feed answered. */
function feedIn(guard: PacketSizeGuard, stream: Buffer, sizes: number[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const n of sizes) {
    out.push(guard.feed(stream.subarray(at, at + n)));
    at += n;
  }
  if (at < stream.length) out.push(guard.feed(stream.subarray(at)));
  return out;
}

describe('PacketSizeGuard', () => {
  it('lets through many packets in one chunk, up to and including the limit', () => {
    const stream = Buffer.concat([packet(0, 0xc0), packet(10), packet(127), packet(128), packet(16_384), packet(20_000 - 4)]);
    const guard = new PacketSizeGuard(20_000); // the last packet is 1 + 3 + 19,996 = 20,000 bytes
    expect(guard.feed(stream)).toBe(-1);
    expect(guard.oversized_packet_bytes).toBe(0);
  });

  it('finds the first packet over the limit and says how many bytes before it are whole packets', () => {
    const ok = Buffer.concat([packet(10), packet(20)]);
    const guard = new PacketSizeGuard(1000);
    expect(guard.feed(Buffer.concat([ok, packet(998)]))).toBe(ok.length);
    expect(guard.oversized_packet_bytes).toBe(1 + 2 + 998);
  });

  it('follows packets split across chunks, one byte at a time included', () => {
    const stream = Buffer.concat([packet(300), packet(5), packet(70_000), packet(2)]);
    const guard = new PacketSizeGuard(100_000);
    expect(feedIn(guard, stream, Array.from({ length: stream.length }, () => 1)).every((r) => r === -1)).toBe(true);
    const again = new PacketSizeGuard(100_000);
    expect(feedIn(again, stream, [1, 2, 299, 3, 4, 1000, 65_536]).every((r) => r === -1)).toBe(true);
  });

  it('reads a remaining length cut anywhere in its varint', () => {
    const big = packet(20 * 1024 * 1024); // 4 length bytes
    for (const cut of [1, 2, 3, 4]) {
      const guard = new PacketSizeGuard(256 * 1024);
      const head = Buffer.concat([packet(7), big.subarray(0, cut)]);
      expect(guard.feed(head), `cut after ${cut} bytes`).toBe(-1);
      expect(guard.feed(big.subarray(cut, cut + 100)), `cut after ${cut} bytes`).toBe(0); // started in the previous chunk
      expect(guard.oversized_packet_bytes).toBe(1 + 4 + 20 * 1024 * 1024);
    }
  });

  it('sees a 20 MB publish from its first 5 bytes', () => {
    const guard = new PacketSizeGuard(maxPacketBytes(256 * 1024));
    expect(guard.feed(packet(20 * 1024 * 1024).subarray(0, 5))).toBe(0);
  });

  it('refuses a malformed length (a 5th length byte)', () => {
    const guard = new PacketSizeGuard(1_000_000);
    expect(guard.feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe(0);
    expect(guard.oversized_packet_bytes).toBe(Infinity);
  });

  it('allows the payload limit plus room for any topic', () => {
    expect(maxPacketBytes(256 * 1024)).toBe(256 * 1024 + PACKET_OVERHEAD_BYTES);
    expect(PACKET_OVERHEAD_BYTES).toBeGreaterThanOrEqual(2 + 65_535 + 2 + 5); // topic length + topic + packet id + fixed header
  });
});
