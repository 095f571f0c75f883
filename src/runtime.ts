// Wires the ingest path from a parsed config: source (embedded or external broker) →
// pipeline (decode, spool) → drainer → InfluxDB. No HTTP here (src/app.ts) and no
// process handling (src/server.ts).
import { join } from 'node:path';
import type { Config } from './config.ts';
import type { DecodeLimits } from './domain/decode.ts';
import { systemClock, type Logger, type MessageSource, type OnMessage } from './ports.ts';
import { componentLog } from './log.ts';
import { InfluxStore } from './adapters/influx/store.ts';
import { startEmbedded } from './adapters/mqtt/embedded.ts';
import { connectExternal } from './adapters/mqtt/external.ts';
import { maxPacketBytes } from './adapters/mqtt/packet-size-guard.ts';
import { Spool } from './ingest/spool.ts';
import { IngestStats } from './ingest/stats.ts';
import { usualFromIndex } from './alerts/usual-source.ts';
import { Drainer } from './ingest/drainer.ts';
import { IngestPipeline } from './ingest/pipeline.ts';
import { RateMeter } from './ingest/rates.ts';
import { ReadingsReader } from './adapters/influx/readings.ts';
import { FiringService } from './firings/service.ts';
import { CurveService } from './firings/curve.ts';
import { CurveReader } from './adapters/influx/curve-reader.ts';
import { LiveHub } from './live/hub.ts';
import { RecordStore } from './records/store.ts';
import { RecordService } from './records/service.ts';
import { FiringIndexStore } from './firings/index-store.ts';
import { FiringIndexer } from './firings/indexer.ts';
import { DEFAULT_TRACKER_CONFIG } from './domain/firing/index.ts';
import { RollupService } from './rollup/service.ts';
import { AlertService } from './alerts/service.ts';
import { AlertStore } from './alerts/store.ts';
import { WebhookSender, DEFAULT_WEBHOOK_OPTIONS } from './alerts/webhooks.ts';
import { AccessService } from './access/service.ts';

export interface Runtime {
  readonly config: Config;
  readonly influx_url: string;
  /** Users, tokens, workshops and device credentials (the access file). */
  readonly access: AccessService;
  readonly store: InfluxStore;
  readonly spool: Spool;
  readonly stats: IngestStats;
  readonly drainer: Drainer;
  readonly pipeline: IngestPipeline;
  readonly source: MessageSource;
  readonly rates: RateMeter;
  /** Firings folded from stored readings, and their reports (the report path). */
  readonly firings: FiringService;
  /** A firing's curves for charts, aggregated by InfluxDB. */
  readonly curves: CurveService;
  /** Live state per kiln, folded from readings as they arrive, for GET /api/live and its SSE stream. */
  readonly live: LiveHub;
  /** Load, grading, baselines and the price list users enter, stored in InfluxDB. */
  readonly records: RecordService;
  /** Keeps the firing index (firings and their summaries in InfluxDB) up to date. */
  readonly indexer: FiringIndexer;
  readonly index: FiringIndexStore;
  /** The adviser's roll-up over the firing index. */
  readonly rollup: RollupService;
  /** Alerts: rules folded over readings as they arrive; webhooks, MQTT alert topic, SSE. */
  readonly alerts: AlertService;
  /** Settles once the alerts' usual firings are seeded from the firing index (or that failed). */
  readonly usualSeeded: Promise<void>;
  /** Stop taking messages, write what is spooled (up to deadline_ms), close everything. */
  stop(deadline_ms?: number): Promise<void>;
}

export async function startRuntime(config: Config, influx_url: string, log: Logger): Promise<Runtime> {
  const store = new InfluxStore({
    url: influx_url, database: config.INFLUX_DATABASE, username: config.INFLUX_USERNAME,
    password: config.INFLUX_PASSWORD, retention: config.INFLUX_RETENTION, timeout_ms: config.WRITE_TIMEOUT_MS,
  });
  const access = AccessService.open(accessFile(config));
  const ingestLog = componentLog(log, 'ingest'), alertsLog = componentLog(log, 'alerts'), mqttLog = componentLog(log, 'mqtt');
  await ensureDatabaseOrWarn(store, log);
  const spool_max_bytes = config.SPOOL_MAX_MB * 1024 * 1024;
  const spool = new Spool({ dir: join(config.DATA_DIR, 'spool'), max_bytes: spool_max_bytes, segment_bytes: config.SPOOL_SEGMENT_MB * 1024 * 1024, fsync: config.SPOOL_FSYNC });
  if (spool.pendingBytes() > 0) log.info(`spool holds ${spool.pendingBytes()} bytes from before the restart: writing them to InfluxDB`);
  const stats = new IngestStats();
  const drainer = new Drainer(spool, store, stats, config.BATCH_MAX_READINGS, ingestLog);
  const limits: DecodeLimits = {
    max_payload_bytes: config.INGEST_MAX_PAYLOAD_KB * 1024,
    max_future_ms: config.INGEST_MAX_FUTURE_S * 1000,
    max_past_ms: config.INGEST_MAX_PAST_DAYS * 86_400_000,
  };
  const pipeline = new IngestPipeline(spool, drainer, stats, limits, spool_max_bytes, systemClock, ingestLog, (p) => store.encode(p));
  const live = new LiveHub({ silent_ms: config.LIVE_SILENT_S * 1000, maintenance_ms: Math.min(5000, config.LIVE_SILENT_S * 500) });
  if (config.LIVE_VIEW) pipeline.onPoints((points) => live.offer(points));
  const recordStore = new RecordStore(store);
  let sourceRef: MessageSource | null = null;
  const webhooks = new WebhookSender({ ...DEFAULT_WEBHOOK_OPTIONS, urls: config.ALERT_WEBHOOK_URLS.split(',').map((u) => u.trim()).filter(Boolean), max_attempts: config.ALERT_WEBHOOK_MAX_ATTEMPTS }, alertsLog);
  const alerts = new AlertService(new AlertStore(store, recordStore), () => sourceRef, webhooks, (key) => {
    const st = pipeline.kilnStatus.get(key);
    return st?.state === 'offline' ? st.received_at_ms : null;
  }, alertsLog);
  void alerts.start();
  pipeline.onPoints((points) => alerts.offer(points));
  pipeline.onClock((key, device_ts_ms, received_ms) => alerts.observeClock(key.workshop, key.kiln, device_ts_ms, received_ms));
  drainer.start();
  const onMessage: OnMessage = (topic, payload, delivery) => pipeline.handle(topic, payload, delivery);
  let source: MessageSource;
  try {
    source = config.MQTT_URL
      ? await connectExternal({ url: config.MQTT_URL, client_id: config.MQTT_CLIENT_ID, username: config.MQTT_USERNAME, password: config.MQTT_PASSWORD }, onMessage, mqttLog)
      : await startEmbedded({
        host: config.MQTT_EMBEDDED_HOST, port: config.MQTT_EMBEDDED_PORT, max_packet_bytes: maxPacketBytes(limits.max_payload_bytes),
        onRefused: (topic, payload, reason, detail) => stats.recordRejects(topic, payload ? payload.subarray(0, 300).toString('utf8') : '', [{ reason, detail, readings: 0 }], Date.now()),
        access: {
          allow_anonymous: config.MQTT_ALLOW_ANONYMOUS,
          checkDevice: (username, secret) => access.checkDevice(username, secret),
          isLive: (username) => access.devices().some((d) => d.username === username && d.revoked_at_ms === null),
        },
      }, onMessage, mqttLog);
  } catch (err) {
    await drainer.stop(0);
    await alerts.close();
    spool.close();
    throw err;
  }
  sourceRef = source;
  alerts.publishAll();
  const rates = new RateMeter(stats);
  rates.start();
  const auth = config.INFLUX_USERNAME && config.INFLUX_PASSWORD ? { username: config.INFLUX_USERNAME, password: config.INFLUX_PASSWORD } : undefined;
  const records = new RecordService(recordStore);
  const readings = new ReadingsReader(influx_url, config.INFLUX_DATABASE, auth);
  const index = new FiringIndexStore(store, recordStore);
  records.onEntered = (f, entered) => index.refreshFigures(f, entered);
  const rollup = new RollupService(index, records);
  const firings = new FiringService({ readings, records, index, priorFigures: (k, from_ms, to_ms) => rollup.figures(from_ms, to_ms, k.workshop) });
  const curves = new CurveService(firings, new CurveReader({ url: influx_url, database: config.INFLUX_DATABASE, auth }), DEFAULT_TRACKER_CONFIG.max_gap_s);
  const indexer = new FiringIndexer({
    store: index, readings, firings, spool, tracker: DEFAULT_TRACKER_CONFIG, log,
    interval_ms: config.FIRING_INDEX_INTERVAL_S * 1000, backfill_days: config.FIRING_INDEX_BACKFILL_DAYS,
  });
  pipeline.onPoints((points) => indexer.note(points));
  indexer.start();
  const usualSeeded = alerts.seedUsual(() => usualFromIndex(index, Date.now()));
  if (config.LIVE_VIEW) startLive(live, index, readings, spool, log);
  return {
    config, influx_url, access, store, spool, stats, drainer, pipeline, source, rates, firings, curves, records, indexer, index, rollup,
    live, alerts, usualSeeded,
    async stop(deadline_ms = 10_000) {
      await alerts.close();
      pipeline.close(); // held messages stay unacknowledged: the broker or device sends them again
      await source.close();
      live.close();
      await indexer.stop();
      await drainer.stop(deadline_ms);
      rates.stop();
      spool.close();
      store.close();
    },
  };
}

export const accessFile = (config: Config) => config.ACCESS_FILE ?? join(config.DATA_DIR, 'access.json');

const H = 3_600_000;

/** The live view's rebuild from InfluxDB (readings it skipped in a burst; all kilns active in the
 *  last day after a restart): from an hour before the kiln's open firing started (live, else the
 *  firing index's checkpoint), else the last 2 h, to now. */
function startLive(live: LiveHub, index: FiringIndexStore, readings: ReadingsReader, spool: Spool, log: Logger): void {
  live.startMaintenance({
    async *read(k) {
      const now = Date.now();
      const open = live.state.firingStartMs(`${k.workshop}/${k.kiln}`) ?? (await index.checkpoint(k))?.state.firing?.start_ms ?? null;
      // An hour at a time, folded as read: a 24 h firing at 1 Hz read in one go held ~100 MB.
      for (let t = Math.min(open ?? Infinity, now - 2 * H) - H; t < now + H; t += H) {
        yield* readings.pages({ ...k, from_ms: t, to_ms: Math.min(t + H, now + H) }); // a dense hour comes in pages
      }
    },
    appendedPosition: () => spool.appendedPosition(),
    isStored: (pos) => spool.isStored(pos),
    warn: (msg) => log.warn(msg),
  });
  index.activeKilns(Date.now() - 24 * H).then(async (kilns) => {
    if (kilns.length === 0) return;
    log.info(`live view: restoring ${kilns.length} kiln(s) active in the last 24 h from InfluxDB`);
    await live.restore(kilns, (done, total) => { if (done === total || done % 10 === 0) log.info(`live view: restored ${done}/${total} kilns`); });
  }).catch((err: unknown) => log.warn(`live view: could not restore kilns after the restart (${(err as Error).message}); they fill in as readings arrive`));
}

/** InfluxDB may be down at start: the service still takes readings into the spool. */
async function ensureDatabaseOrWarn(store: InfluxStore, log: Logger): Promise<void> {
  try {
    await store.ensureDatabase();
  } catch (err) {
    log.warn(`InfluxDB not reachable at start (${(err as Error).message}); readings will wait in the spool`);
    const retry = setInterval(() => {
      store.ensureDatabase().then(() => clearInterval(retry), () => undefined);
    }, 5000);
    retry.unref();
  }
}
