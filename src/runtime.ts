// Wires the ingest path from a parsed config: source (embedded or external broker) →
// pipeline (decode, spool) → drainer → InfluxDB, and what folds readings beside it, as a list of
// components (src/components.ts) with a start order and a stop order. No HTTP here (src/app.ts)
// and no process handling (src/server.ts).
import { join } from 'node:path';
import type { Config } from './config.ts';
import type { DecodeLimits } from './domain/decode.ts';
import { systemClock, type Logger, type MessageSource, type OnMessage } from './ports.ts';
import { componentLog } from './log.ts';
import { inOrder, startAll, stopAll, type Component } from './components.ts';
import { InfluxStore } from './adapters/influx/store.ts';
import { startEmbedded } from './adapters/mqtt/embedded.ts';
import { writeNumbersWithoutCache } from './adapters/mqtt/packet-writer.ts';
import { connectExternal } from './adapters/mqtt/external.ts';
import { maxPacketBytes } from './adapters/mqtt/packet-size-guard.ts';
import { Spool } from './ingest/spool.ts';
import { IngestStats } from './ingest/stats.ts';
import { usualFromIndex } from './alerts/usual-source.ts';
import { Drainer } from './ingest/drainer.ts';
import { IngestPipeline } from './ingest/pipeline.ts';
import { RateMeter } from './ingest/rates.ts';
import { ReadingsReader } from './adapters/influx/readings.ts';
import { AggregateStore } from './adapters/influx/aggregates.ts';
import { TieredReadings } from './adapters/influx/tiered-readings.ts';
import { Downsampler } from './retention/downsampler.ts';
import { FiringService } from './firings/service.ts';
import { CurveService } from './firings/curve.ts';
import { CurveReader } from './adapters/influx/curve-reader.ts';
import { LiveHub } from './live/hub.ts';
import { DEFAULT_LIVE_OPTIONS, LiveState } from './live/live-state.ts';
import { endRuleOf } from './domain/alerts/index.ts';
import { RecordStore } from './records/store.ts';
import { RecordService } from './records/service.ts';
import { FiringIndexStore } from './firings/index-store.ts';
import { FiringIndexer } from './firings/indexer.ts';
import { DEFAULT_TRACKER_CONFIG } from './domain/firing/index.ts';
import { RollupService } from './rollup/service.ts';
import { AlertService } from './alerts/service.ts';
import { AlertStore } from './alerts/store.ts';
import { WebhookSender, DEFAULT_WEBHOOK_OPTIONS } from './alerts/webhooks.ts';
import { webhookUrls } from './alerts/webhook-targets.ts';
import { AuditLog } from './audit/store.ts';
import { AccessService } from './access/service.ts';
import { accessFile } from './access/store.ts';
import { Cluster } from './cluster/ownership.ts';
import { HeapWatch } from './heap-watch.ts';
import { MemoryRelease } from './memory-release.ts';
import { sharedDeviceFilter } from './wire/cluster.ts';
import { connectGapGuard, type GapGuard } from './adapters/mqtt/gap-guard.ts';
import type { BrokerLogin } from './adapters/mqtt/connect.ts';

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
  /** Drops raw readings older than READINGS_RAW_DAYS once their one-minute aggregates are stored. */
  readonly downsampler: Downsampler;
  readonly aggregates: AggregateStore;
  /** The adviser's roll-up over the firing index. */
  readonly rollup: RollupService;
  /** Alerts: rules folded over readings as they arrive; webhooks, MQTT alert topic, SSE. */
  readonly alerts: AlertService;
  /** Settles once the alerts' usual firings are seeded from the firing index (or that failed). */
  readonly usualSeeded: Promise<void>;
  /** Who wrote what, and every login attempt, in InfluxDB (src/audit/store.ts). */
  readonly audit: AuditLog;
  /** Several instances on one broker (MQTT_SHARE_GROUP): who is there, which kilns this one owns. Null: one instance. */
  readonly cluster: Cluster | null;
  /** The live data against the heap cap, after each full collection. */
  readonly heap: HeapWatch;
  /** Stop taking messages, write what is spooled (up to deadline_ms), close everything. */
  stop(deadline_ms?: number): Promise<void>;
}

/** The runtime's components in the order they stop (they start in the order of startRuntime's list). */
export const STOP_ORDER: readonly string[] = [
  'cluster', // first: a clean stop clears this instance's presence, so the others take its kilns over now
  'alerts', // its silence timer would take kilns going quiet for silent; its last history write ends while the store is open
  'pipeline', // stops retrying held messages: they stay unacknowledged, and the broker or device sends them again
  'mqtt', // nothing more comes in, and no acknowledgement goes out
  'guard', // several instances: the gap guard's session stays subscribed at the broker
  'live', // its streams and its rebuild end while the InfluxDB and spool it reads are still open
  'indexer', // its pass in progress finishes while InfluxDB and the spool are still open
  'downsampler', // likewise
  'drainer', // writes what is spooled, up to the deadline, now that nothing more comes in
  'rates', // the write rate counts until the drain is over
  'spool', // once nothing appends to it or reads from it
  'store', // last: alerts, the indexer and the drainer wrote through it
  'heap', // says what memory holds to the last
];

export async function startRuntime(config: Config, influx_url: string, log: Logger): Promise<Runtime> {
  writeNumbersWithoutCache(); // before the first MQTT packet: 7.4 MB less heap (packet-writer.ts)
  const logOf = (name: string) => componentLog(log, name);
  const access = AccessService.open(accessFile(config));
  const store = new InfluxStore({
    url: influx_url, database: config.INFLUX_DATABASE, username: config.INFLUX_USERNAME,
    password: config.INFLUX_PASSWORD, retention: config.INFLUX_RETENTION, timeout_ms: config.WRITE_TIMEOUT_MS,
  });
  const spool_max_bytes = config.SPOOL_MAX_MB * 1024 * 1024;
  const spool = new Spool({ dir: join(config.DATA_DIR, 'spool'), max_bytes: spool_max_bytes, segment_bytes: config.SPOOL_SEGMENT_MB * 1024 * 1024, fsync: config.SPOOL_FSYNC });
  const stats = new IngestStats();
  const drainer = new Drainer(spool, store, stats, config.BATCH_MAX_READINGS, logOf('drainer'));
  const limits: DecodeLimits = {
    max_payload_bytes: config.INGEST_MAX_PAYLOAD_KB * 1024,
    max_future_ms: config.INGEST_MAX_FUTURE_S * 1000,
    max_past_ms: config.INGEST_MAX_PAST_DAYS * 86_400_000,
  };
  const pipeline = new IngestPipeline(spool, drainer, stats, limits, spool_max_bytes, systemClock, logOf('pipeline'), (p) => store.encode(p));
  // Each kiln's firing end rule is one of its settings (beside its alert thresholds): the live view,
  // the firing index and the reports fold the tracker with it.
  const endRule = (workshop: string, kiln: string) => endRuleOf(alerts.settingsFor(workshop, kiln));
  const liveLog = logOf('live');
  const live = new LiveHub({ silent_ms: config.LIVE_SILENT_S * 1000, maintenance_ms: Math.min(5000, config.LIVE_SILENT_S * 500) }, new LiveState({ ...DEFAULT_LIVE_OPTIONS, endRule }), Date.now, (msg) => liveLog.warn(msg));
  if (config.LIVE_VIEW) {
    pipeline.onPoints((points) => live.offer(points));
    pipeline.onStatus((st) => { if (st.fault) live.offerFault(st, st.fault, st.received_at_ms); });
  }
  const recordStore = new RecordStore(store);
  let source: MessageSource | null = null;
  const alertsLog = logOf('alerts');
  const webhooks = new WebhookSender({ ...DEFAULT_WEBHOOK_OPTIONS, urls: webhookUrls(config.ALERT_WEBHOOK_URLS), max_attempts: config.ALERT_WEBHOOK_MAX_ATTEMPTS, allow_local: config.ALERT_WEBHOOK_ALLOW_LOCAL }, alertsLog);
  const alerts = new AlertService(new AlertStore(store, recordStore), () => source, webhooks, (key) => {
    const st = pipeline.kilnStatus.get(key);
    return st?.state === 'offline' ? st.received_at_ms : null;
  }, alertsLog);
  pipeline.onPoints((points) => alerts.offer(points));
  // The live view's flush of a silent kiln and its rebuilds: the alert engine follows (one tracker a kiln).
  if (config.LIVE_VIEW) live.state.onTrackerChange = (workshop, kiln, change) => alerts.followLive(workshop, kiln, change);
  pipeline.onClock((key, device_ts_ms, received_ms) => alerts.observeClock(key.workshop, key.kiln, device_ts_ms, received_ms));
  const onMessage: OnMessage = (topic, payload, delivery) => pipeline.handle(topic, payload, delivery);
  const rates = new RateMeter(stats);
  const auth = config.INFLUX_USERNAME && config.INFLUX_PASSWORD ? { username: config.INFLUX_USERNAME, password: config.INFLUX_PASSWORD } : undefined;
  const records = new RecordService(recordStore);
  const rawReadings = new ReadingsReader(influx_url, config.INFLUX_DATABASE, auth);
  const aggregates = new AggregateStore(store, config.READINGS_AGG_DAYS);
  // Raw readings, and one-minute aggregates where raw ones were dropped (docs/retention.md).
  const readings = new TieredReadings(rawReadings, aggregates);
  const index = new FiringIndexStore(store, recordStore);
  records.onEntered = (f, entered) => index.refreshFigures(f, entered);
  const rollup = new RollupService(index, records);
  const firings = new FiringService({ readings, records, index, endRule: (k) => endRule(k.workshop, k.kiln), priorFigures: (k, from_ms, to_ms) => rollup.figures(from_ms, to_ms, k.workshop) });
  const curves = new CurveService(firings, new CurveReader({ url: influx_url, database: config.INFLUX_DATABASE, auth }, aggregates), DEFAULT_TRACKER_CONFIG.max_gap_s);
  const indexer = new FiringIndexer({
    store: index, readings, firings, spool, tracker: DEFAULT_TRACKER_CONFIG, endRule: (k) => endRule(k.workshop, k.kiln), log: logOf('indexer'),
    interval_ms: config.FIRING_INDEX_INTERVAL_S * 1000, backfill_days: config.FIRING_INDEX_BACKFILL_DAYS,
    kiln_every_ms: config.FIRING_INDEX_KILN_EVERY_S * 1000,
    news: config.LIVE_VIEW ? (k) => live.state.firingNews(`${k.workshop}/${k.kiln}`) : undefined,
  });
  pipeline.onSpooled((points) => indexer.note(points));
  const downsampler = new Downsampler({ aggs: aggregates, raw: rawReadings, spool, raw_days: config.READINGS_RAW_DAYS, interval_ms: config.READINGS_DOWNSAMPLE_INTERVAL_S * 1000, log: logOf('downsampler') });
  const heap = new HeapWatch(logOf('heap'));
  // After a burst, once the spool has drained: the memory it took goes back to the system.
  const memory = new MemoryRelease(() => spool.pendingBytes() === 0, () => heap.snapshot().live_bytes, logOf('heap'));
  rates.onSample((t_ms, accepted) => memory.sample(t_ms, accepted));
  const cluster = config.MQTT_SHARE_GROUP && config.MQTT_URL ? startCluster(config.MQTT_URL, config, pipeline, alerts, indexer, logOf('cluster')) : null;
  if (cluster) downsampler.owns = (key) => cluster.owns(key); // each kiln by its owner, as the index

  let usualSeeded: Promise<void> = Promise.resolve();
  let guard: GapGuard | null = null;
  let stopRetry = () => {};
  // Started in this order: InfluxDB may be down (readings then wait in the spool), alerts start
  // loading their settings before the first message, and messages flow once the source is up.
  const components: Component[] = [
    { name: 'heap', start: () => heap.start(), stop: () => heap.stop() }, // first: it sees every full collection
    { name: 'store', start: async () => { stopRetry = await ensureDatabaseOrWarn(store, aggregates, logOf('store')); }, stop: () => { stopRetry(); store.close(); } },
    {
      name: 'spool',
      start: () => { if (spool.pendingBytes() > 0) logOf('spool').info(`spool holds ${spool.pendingBytes()} bytes from before the restart: writing them to InfluxDB`); },
      stop: () => spool.close(),
    },
    {
      name: 'alerts',
      start: () => { void alerts.start(); usualSeeded = alerts.seedUsual(() => usualFromIndex(index, Date.now())); },
      stop: () => alerts.close(),
    },
    { name: 'drainer', start: () => drainer.start(), stop: (deadline_ms) => drainer.stop(deadline_ms) },
    { name: 'pipeline', start: () => {}, stop: () => pipeline.close() }, // takes messages as soon as the source delivers them
    // Several instances: before the shared subscription, which tells it when it is in place.
    {
      name: 'guard',
      start: async () => {
        if (!cluster || !config.MQTT_URL) return;
        const g = await connectGapGuard({ ...brokerLogin(config, config.MQTT_URL), instance_id: config.MQTT_CLIENT_ID }, onMessage, logOf('guard'));
        guard = g;
        cluster.guardKept = () => g.kept();
      },
      stop: () => guard?.close(),
    },
    {
      name: 'mqtt',
      start: async () => {
        source = await startSource(config, limits, stats, access, onMessage, logOf('mqtt'), () => guard?.subscribed());
        alerts.publishAll(); // the retained alert topics, now that there is a broker to hold them
      },
      stop: () => source?.close(),
    },
    { name: 'rates', start: () => rates.start(), stop: () => rates.stop() },
    { name: 'indexer', start: () => indexer.start(), stop: () => indexer.stop() },
    { name: 'downsampler', start: () => downsampler.start(), stop: () => downsampler.stop() },
    { name: 'live', start: () => { if (config.LIVE_VIEW) startLive(live, index, readings, spool, logOf('live')); }, stop: () => live.close() },
    // Last: the live view and alerts are ready for every kiln's readings before they come.
    { name: 'cluster', start: () => cluster?.start(), stop: () => cluster?.stop() },
  ];
  const stopOrder = inOrder(components, STOP_ORDER);
  await startAll(components, log);
  return {
    config, influx_url, access, store, spool, stats, drainer, pipeline, source: source!, rates, firings, curves, records, indexer, index, rollup, downsampler, aggregates,
    live, alerts, usualSeeded, cluster, heap, audit: new AuditLog(store, recordStore, logOf('audit')),
    stop: (deadline_ms = 10_000) => stopAll(stopOrder, deadline_ms, log),
  };
}

/** The service's login at the external broker, for each of its connections there. */
function brokerLogin(config: Config, url: string): BrokerLogin {
  return { url, username: config.MQTT_USERNAME, password: config.MQTT_PASSWORD };
}

/** The embedded broker, or a client of an external one (MQTT_URL). */
function startSource(config: Config, limits: DecodeLimits, stats: IngestStats, access: AccessService, onMessage: OnMessage, log: Logger, onSubscribed: () => void): Promise<MessageSource> {
  if (config.MQTT_URL) {
    const filter = config.MQTT_SHARE_GROUP ? sharedDeviceFilter(config.MQTT_SHARE_GROUP) : undefined;
    return connectExternal({ ...brokerLogin(config, config.MQTT_URL), client_id: config.MQTT_CLIENT_ID, filter, onSubscribed }, onMessage, log);
  }
  return startEmbedded({
    host: config.MQTT_EMBEDDED_HOST, port: config.MQTT_EMBEDDED_PORT, max_packet_bytes: maxPacketBytes(limits.max_payload_bytes),
    onRefused: (topic, payload, reason, detail) => stats.recordRejects(topic, payload ? payload.subarray(0, 300).toString('utf8') : '', [{ reason, detail, readings: 0 }], Date.now()),
    // Device credentials and topic rules (src/adapters/mqtt/device-auth.ts).
    access: {
      allow_anonymous: config.MQTT_ALLOW_ANONYMOUS,
      checkDevice: (username, secret) => access.checkDevice(username, secret),
      isLive: (username) => access.deviceIsLive(username),
    },
  }, onMessage, log);
}

/** Several instances: this one stores its share of the messages (the shared subscription) and sees
 *  all of them for the live view and alerts (the cluster link); each kiln's alerts are sent, and its
 *  firing index kept, by its owner only (docs/scaling.md). */
function startCluster(url: string, config: Config, pipeline: IngestPipeline, alerts: AlertService, indexer: FiringIndexer, log: Logger): Cluster {
  pipeline.derivedFromIntake = false;
  const cluster = new Cluster({ ...brokerLogin(config, url), self: config.MQTT_CLIENT_ID }, {
    observe: (topic, payload) => pipeline.observe(topic, payload),
    knownKilns: () => alerts.kilnKeys(),
    gained: (keys) => {
      void alerts.takeOver(keys);
      // Fold what was stored since each kiln's checkpoint: its last owner may not have.
      const now = Date.now();
      for (const key of keys) {
        const [workshop = '', kiln = ''] = key.split('/');
        indexer.noteStored({ workshop, kiln, min_ms: now, max_ms: now });
      }
    },
    stored: (n) => indexer.noteStored(n),
    changed: (c) => {
      if (c.kind === 'ack') alerts.followAck(c.workshop, c.kiln, c.alert_id, c.by, c.note, c.at_ms);
      else alerts.reloadSettings(c.workshop, c.kiln).catch((err: unknown) => log.warn(`cluster: could not read ${c.workshop}/${c.kiln}'s alert settings saved on another instance (${(err as Error).message})`));
    },
  }, log);
  alerts.onUserChange = (c) => cluster.tell(c);
  alerts.owns = (key) => cluster.owns(key);
  indexer.cluster = { owns: (key) => cluster.owns(key), forward: (n) => cluster.forward(n) };
  return cluster;
}

const H = 3_600_000;

/** The live view's rebuild from InfluxDB (readings it skipped in a burst; all kilns active in the
 *  last day after a restart): from an hour before the kiln's open firing started (live, else the
 *  firing index's checkpoint), else the last 2 h, to now. */
function startLive(live: LiveHub, index: FiringIndexStore, readings: TieredReadings, spool: Spool, log: Logger): void {
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

/** InfluxDB may be down at start: the service still takes readings into the spool, and creates
 *  the database once InfluxDB answers. Returns what cancels that retry. */
async function ensureDatabaseOrWarn(store: InfluxStore, aggregates: AggregateStore, log: Logger): Promise<() => void> {
  // The aggregates' retention policy too: a database written by an earlier version gets it here.
  const ensure = async () => { await store.ensureDatabase(); await aggregates.ensure(); };
  try {
    await ensure();
    return () => {};
  } catch (err) {
    log.warn(`InfluxDB not reachable at start (${(err as Error).message}); readings will wait in the spool`);
    const retry = setInterval(() => {
      ensure().then(() => clearInterval(retry), () => undefined);
    }, 5000);
    retry.unref();
    return () => clearInterval(retry);
  }
}
