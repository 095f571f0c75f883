// Append-only local spool: every accepted reading is written here *before* the device's
// QoS 1 publish is acknowledged, and drained to InfluxDB in batches. A kill -9 loses nothing
// that was acknowledged (the bytes are in the OS page cache; SPOOL_FSYNC=true also survives
// power loss, at a cost). Files: seg-<n>.lp segments of line protocol and cursor.json (what is stored).
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readSync, renameSync, statSync, truncateSync, unlinkSync, writeFileSync, writeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SpoolOptions {
  readonly dir: string;
  readonly max_bytes: number;
  readonly segment_bytes: number;
  readonly fsync: boolean;
}

export interface SpoolCursor { readonly segment: number; readonly offset: number }

export interface SpoolBatch {
  /** Whole lines, each ending in a newline; a copy, safe to keep while the spool goes on. */
  readonly data: Buffer;
  readonly lines: number;
  readonly end: SpoolCursor;
}

export class SpoolFullError extends Error {
  constructor(readonly pending_bytes: number, readonly max_bytes: number) {
    super(`spool full: ${pending_bytes} of ${max_bytes} bytes waiting for InfluxDB`);
  }
}

/** The disk refused an append (full, over quota, or failing). The spool is left exactly as it
 *  was before the append, so the message can be refused unacknowledged and tried again. */
export class SpoolWriteError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }

  /** No room on the disk (or the user's quota): it comes back as the drainer frees segments. */
  get disk_full(): boolean {
    return this.code === 'ENOSPC' || this.code === 'EDQUOT';
  }
}

const segName = (n: number) => `seg-${String(n).padStart(12, '0')}.lp`;
const READ_CHUNK_BYTES = 1024 * 1024; // > BATCH_MAX_READINGS (5,000) lines of ~80 bytes
const OUT_BUFFER_BYTES = 256 * 1024; // a message of a few readings takes ~1 KB
const CURSOR_PERSIST_MS = 200;

export class Spool {
  private fd: number;
  private writeSegment: number;
  private writeOffset: number;
  private cursor: SpoolCursor;
  /** Bytes of closed segments not yet drained, plus the open one. */
  private segmentSizes = new Map<number, number>();
  private readonly buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  /** A message's records are encoded here before they are written (one buffer, not one a message:
   *  making a Buffer for each message's text was ~1.3 % of the service's busy time at full pace). */
  private readonly out = Buffer.allocUnsafe(OUT_BUFFER_BYTES);
  private persisted_at_ms = 0;
  /** A write failed part-way and cutting the file back failed too: cut before the next append. */
  private tail_dirty = false;
  /** The last time the cursor could not be saved (disk full): it is saved again at the next commit. */
  cursor_error: string | undefined;

  constructor(private readonly opts: SpoolOptions) {
    mkdirSync(opts.dir, { recursive: true });
    const segments = readdirSync(opts.dir).filter((f) => /^seg-\d{12}\.lp$/.test(f)).map((f) => Number(f.slice(4, 16))).sort((a, b) => a - b);
    for (const s of segments) this.segmentSizes.set(s, statSync(join(opts.dir, segName(s))).size);
    this.cursor = this.readCursor(segments[0] ?? 1);
    this.writeSegment = segments.at(-1) ?? this.cursor.segment;
    this.fd = openSync(join(opts.dir, segName(this.writeSegment)), 'a+');
    this.writeOffset = fstatSync(this.fd).size;
    this.repairTail();
    this.segmentSizes.set(this.writeSegment, this.writeOffset);
  }

  /** Bytes written but not yet stored in InfluxDB. */
  pendingBytes(): number {
    let total = 0;
    for (const [seg, size] of this.segmentSizes) {
      if (seg > this.cursor.segment) total += size;
      else if (seg === this.cursor.segment) total += size - this.cursor.offset;
    }
    return total;
  }

  /** Where the next append will go: once isStored() says so, everything appended before it is in InfluxDB. */
  appendedPosition(): SpoolCursor {
    return { segment: this.writeSegment, offset: this.writeOffset };
  }

  /** Has the drainer committed everything before pos? */
  isStored(pos: SpoolCursor): boolean {
    return this.cursor.segment > pos.segment || (this.cursor.segment === pos.segment && this.cursor.offset >= pos.offset);
  }

  /** Append records (each one line, no newline inside). Synchronous: when it returns the bytes are
   *  spooled. It throws SpoolFullError past max_bytes and SpoolWriteError when the disk refuses the
   *  write; either way the spool holds exactly what it held before (a half-written tail is cut off),
   *  so the next append never glues a reading onto a broken line. */
  append(records: readonly string[]): void {
    if (records.length === 0) return;
    const text = records.join('\n') + '\n';
    // UTF-8 takes at most 3 bytes for each UTF-16 unit; a larger text gets a buffer of its own.
    const fits = text.length * 3 <= this.out.length;
    const data = fits ? this.out : Buffer.from(text);
    const size = fits ? this.out.write(text, 0) : data.length;
    const pending = this.pendingBytes();
    if (pending + size > this.opts.max_bytes) throw new SpoolFullError(pending, this.opts.max_bytes);
    this.cutDirtyTail();
    if (this.writeOffset > 0 && this.writeOffset + size > this.opts.segment_bytes) this.rotate();
    let written = 0;
    try {
      while (written < size) written += writeSync(this.fd, data, written, size - written);
      if (this.opts.fsync) fsyncSync(this.fd);
    } catch (err) {
      if (written > 0) this.tail_dirty = true; // the file is longer than writeOffset: cut it back
      this.cutDirtyTail(false);
      throw asWriteError(err);
    }
    this.writeOffset += size;
    this.segmentSizes.set(this.writeSegment, this.writeOffset);
  }

  /** After the disk filled: once everything in the open segment is stored, start a new segment and
   *  delete the old one, so its space comes back even when it is far below segment_bytes. */
  reclaim(): void {
    if (this.writeOffset > 0 && this.cursor.segment === this.writeSegment && this.cursor.offset >= this.writeOffset) {
      this.rotate();
      this.skipDrained();
    }
  }

  /** Step the cursor past closed segments that are fully drained, deleting their files. */
  private skipDrained(): void {
    let { segment, offset } = this.cursor;
    while (segment < this.writeSegment && offset >= (this.segmentSizes.get(segment) ?? 0)) {
      this.dropSegment(segment);
      segment += 1;
      offset = 0;
      this.cursor = { segment, offset };
    }
  }

  /** Cut the segment back to its last whole line (after a failed write). */
  private cutDirtyTail(mustSucceed = true): void {
    if (!this.tail_dirty) return;
    try {
      ftruncateSync(this.fd, this.writeOffset);
      this.tail_dirty = false;
    } catch (err) {
      if (mustSucceed) throw asWriteError(err);
    }
  }

  /** Read up to max_lines whole lines from the cursor. Does not move the cursor: call commit(end) once stored. */
  read(max_lines: number): SpoolBatch {
    this.skipDrained();
    const { segment, offset } = this.cursor;
    const size = this.segmentSizes.get(segment) ?? 0;
    if (offset >= size) return { data: Buffer.alloc(0), lines: 0, end: this.cursor };
    const fd = segment === this.writeSegment ? this.fd : openSync(join(this.opts.dir, segName(segment)), 'r');
    try {
      const n = readSync(fd, this.buf, 0, Math.min(READ_CHUNK_BYTES, size - offset), offset);
      let lines = 0;
      let end = 0;
      for (let i = this.buf.indexOf(0x0a, 0); i >= 0 && i < n && lines < max_lines; i = this.buf.indexOf(0x0a, i + 1)) {
        lines++;
        end = i + 1;
      }
      return { data: Buffer.from(this.buf.subarray(0, end)), lines, end: { segment, offset: offset + end } };
    } finally {
      if (fd !== this.fd) closeSync(fd);
    }
  }

  /** Mark everything before `end` as stored. Survives restarts through cursor.json (atomic
   *  rename), written at most every CURSOR_PERSIST_MS: after a crash the last few batches are
   *  written again, which is harmless (a point rewritten overwrites itself). */
  commit(end: SpoolCursor, now_ms = Date.now()): void {
    this.cursor = end;
    if (now_ms - this.persisted_at_ms >= CURSOR_PERSIST_MS) this.persistCursor(now_ms);
  }

  /** A cursor that cannot be saved (disk full) is only late: after a crash the batches since the
   *  last saved one are written again, which is harmless. So it never fails the drainer. */
  private persistCursor(now_ms: number): void {
    const tmp = join(this.opts.dir, 'cursor.json.tmp');
    this.persisted_at_ms = now_ms;
    try {
      writeFileSync(tmp, JSON.stringify(this.cursor));
      renameSync(tmp, join(this.opts.dir, 'cursor.json'));
      this.cursor_error = undefined;
    } catch (err) {
      this.cursor_error = (err as Error).message;
    }
  }

  close(): void {
    this.persistCursor(Date.now());
    closeSync(this.fd);
  }

  private rotate(): void {
    let fd: number;
    try {
      fd = openSync(join(this.opts.dir, segName(this.writeSegment + 1)), 'a+'); // the old one stays open if this fails
    } catch (err) {
      throw asWriteError(err);
    }
    closeSync(this.fd);
    this.fd = fd;
    this.writeSegment += 1;
    this.writeOffset = 0;
    this.segmentSizes.set(this.writeSegment, 0);
  }

  private dropSegment(segment: number): void {
    this.segmentSizes.delete(segment);
    const path = join(this.opts.dir, segName(segment));
    if (existsSync(path)) unlinkSync(path);
  }

  private readCursor(first: number): SpoolCursor {
    try {
      const c = JSON.parse(readFileSync(join(this.opts.dir, 'cursor.json'), 'utf8')) as SpoolCursor;
      if (Number.isInteger(c.segment) && Number.isInteger(c.offset)) return c.segment < first ? { segment: first, offset: 0 } : c;
    } catch {
      // no cursor yet: start at the oldest segment
    }
    return { segment: first, offset: 0 };
  }

  /** A crash mid-write can leave a partial last line; it was never acknowledged, so drop it. */
  private repairTail(): void {
    if (this.writeOffset === 0) return;
    const probe = Math.min(this.writeOffset, READ_CHUNK_BYTES);
    const n = readSync(this.fd, this.buf, 0, probe, this.writeOffset - probe);
    const lastNl = this.buf.lastIndexOf(0x0a, n - 1);
    if (lastNl === n - 1) return;
    const keep = lastNl < 0 ? this.writeOffset - n : this.writeOffset - n + lastNl + 1;
    truncateSync(join(this.opts.dir, segName(this.writeSegment)), keep);
    this.writeOffset = keep;
  }
}

function asWriteError(err: unknown): SpoolWriteError {
  const e = err as NodeJS.ErrnoException;
  return new SpoolWriteError(e.code ?? 'EIO', `cannot write the spool: ${e.message}`);
}
