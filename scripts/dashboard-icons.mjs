// The installable dashboard's icons, drawn here as PNG (no image tools, no binary in the repo):
// the header's flame, orange to yellow, on the header's slate. Used by build-dashboard.mjs.
import { Buffer } from 'node:buffer';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

const SLATE = [0x1e, 0x29, 0x3b];
const ORANGE = [0xf9, 0x73, 0x16];
const YELLOW = [0xfa, 0xcc, 0x15];

/** Inside the flame: a circle with a point on top (a drop upside down), in units of the icon. */
function inFlame(x, y) {
  const cx = 0.5, cy = 0.6, r = 0.22;
  const dx = x - cx, dy = y - cy;
  if (dx * dx + dy * dy <= r * r) return true;
  // The tip: a triangle from the circle's sides up to (0.5, 0.18).
  if (y < cy && y >= 0.18) { const half = ((y - 0.18) / (cy - 0.18)) * r; return Math.abs(dx) <= half; }
  return false;
}

/** A size × size RGBA PNG; maskable: the flame sits within the middle 80 % (the safe zone). */
export function iconPng(size) {
  const rows = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size, y = (py + 0.5) / size;
      let c = SLATE;
      if (inFlame(x, y)) { const t = Math.min(1, Math.max(0, (y - 0.18) / 0.64)); c = ORANGE.map((o, i) => Math.round(YELLOW[i] + (o - YELLOW[i]) * (1 - t))); }
      row.set([...c, 255], 1 + px * 4);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

export const ICON_SIZES = [192, 512];
