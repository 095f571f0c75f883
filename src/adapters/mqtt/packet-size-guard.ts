// A maximum MQTT packet size for the embedded broker. aedes 1.2 has none: its parser buffers a
// packet whole before anyone sees it, so a client could make the service hold a 200 MB publish.
// The guard reads only each packet's fixed header (one type byte and a 1-4 byte "remaining
// length") off the byte stream and skips bodies by counting, so a packet over the limit is seen
// from its first bytes, and the connection is closed before the body arrives.
import type { Socket } from 'node:net';

/** Headroom over the payload limit for the topic, packet id and header: a topic name of up to
 *  65,535 bytes fits, so no message whose payload is within the limit is cut off. A payload a little over
 *  the limit still gets through to the decoder and is counted as payload_too_large with the
 *  connection kept: a QoS 1 message that closes the connection is sent again after every
 *  reconnect, so closing is kept for the clearly abusive sizes. */
export const PACKET_OVERHEAD_BYTES = 65 * 1024;

export function maxPacketBytes(max_payload_bytes: number): number {
  return max_payload_bytes + PACKET_OVERHEAD_BYTES;
}

/** The longest remaining length MQTT can encode (4 length bytes); a 5th is malformed. */
const MAX_LENGTH_BYTES = 4;

export class PacketSizeGuard {
  /** Size of the first packet found over the limit (Infinity for a malformed length), else 0. */
  oversized_packet_bytes = 0;
  private body_left_bytes = 0;
  private header_bytes = 0; // fixed header bytes seen of the packet being read; 0 = at a packet start
  private remaining_bytes = 0;
  private multiplier = 1;

  constructor(readonly max_packet_bytes: number) {}

  /** Follow the stream through one chunk. Returns -1 while every packet is within the limit;
   *  otherwise how many leading bytes of this chunk belong to earlier packets (the oversized
   *  packet starts there, or started in an earlier chunk: 0). After that the guard is spent. */
  feed(chunk: Uint8Array): number {
    const n = chunk.length;
    let i = 0;
    let packet_start = 0; // where the packet being read starts in this chunk (0 if before it)
    while (i < n) {
      if (this.body_left_bytes > 0) {
        const skip = Math.min(this.body_left_bytes, n - i);
        this.body_left_bytes -= skip;
        i += skip;
        continue;
      }
      const b = chunk[i++] as number;
      if (this.header_bytes === 0) {
        packet_start = i - 1;
        this.header_bytes = 1;
        this.remaining_bytes = 0;
        this.multiplier = 1;
        continue;
      }
      this.remaining_bytes += (b & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.header_bytes++;
      if (b & 0x80) {
        if (this.header_bytes > MAX_LENGTH_BYTES) return this.stop(Infinity, packet_start);
        continue;
      }
      const packet_bytes = this.header_bytes + this.remaining_bytes;
      this.header_bytes = 0;
      if (packet_bytes > this.max_packet_bytes) return this.stop(packet_bytes, packet_start);
      this.body_left_bytes = this.remaining_bytes;
    }
    return -1;
  }

  private stop(packet_bytes: number, packet_start: number): number {
    this.oversized_packet_bytes = packet_bytes;
    return packet_start;
  }
}

/** Make every read of the socket (aedes reads it with read()) go through a guard. A packet over the
 *  limit: the whole packets before it are still handed on, then the socket is destroyed. */
export function guardSocket(socket: Socket, max_packet_bytes: number, onTooLarge: (packet_bytes: number) => void): void {
  const guard = new PacketSizeGuard(max_packet_bytes);
  const read = socket.read.bind(socket);
  let spent = false;
  socket.read = (size?: number): unknown => {
    if (spent) return null;
    const chunk: unknown = read(size);
    if (!(chunk instanceof Uint8Array)) return chunk;
    const keep = guard.feed(chunk);
    if (keep < 0) return chunk;
    spent = true;
    onTooLarge(guard.oversized_packet_bytes);
    // On the next turn, so that the packets before it are acknowledged first.
    setImmediate(() => socket.destroy());
    return keep > 0 ? chunk.subarray(0, keep) : null;
  };
}
