// The MQTT packet writer that aedes and MQTT.js share (mqtt-packet, one copy in the tree) writes
// each packet's 2-byte numbers (message ids, lengths) from a cache of all 65,536 of them as
// separate Buffers, made on its first packet: 7.4 MB of the service's heap for ever (measured in
// a heap snapshot: docs/benchmarks.md). Without it each number is a 2-byte Buffer from Node's
// pool, garbage once written: at 1,000 PUBACKs a second, nothing to see next to a message's
// decoding. MQTT.js's own `writeCache: false` option sets the same switch, but only when a client
// is made; the embedded broker makes none.
import mqttPacket from 'mqtt-packet';

/** Turn the number cache off before the first packet is written (runtime start). */
export function writeNumbersWithoutCache(): void {
  mqttPacket.writeToStream.cacheNumbers = false;
}

/** Whether the writer still uses (and so holds) the cache. */
export function numberCacheOn(): boolean {
  return mqttPacket.writeToStream.cacheNumbers;
}
