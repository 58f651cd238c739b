import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the conversation reports to metrics (kept tiny so dialogs don't depend on a metrics library). */
export interface BotEvents {
  recognized(intent: string): void;
  outcome(kind: 'fixed' | 'escalated' | 'abandoned'): void;
  unmatched(kind: 'out-of-scope' | 'not-understood'): void;
}

const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const OUTCOMES = ['fixed', 'escalated', 'abandoned'] as const;
const UNMATCHED = ['out-of-scope', 'not-understood'] as const;

/**
 * The process metrics operators expect (CPU, resident memory, heap, event-loop lag, GC, handles), collected once per
 * process: every Metrics instance of the process shares them.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** Prometheus metrics of the bot and its process (prom-client), in the text exposition format (GET /metrics). */
export class Metrics implements BotEvents {
  private readonly registry = new Registry();
  private readonly turns = new Counter({
    name: 'bot_turns_total',
    help: 'Turns processed, by activity type.',
    labelNames: ['type'],
    registers: [this.registry],
  });
  private readonly turnErrors = new Counter({
    name: 'bot_turn_errors_total',
    help: 'Turns that failed with an error.',
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'bot_turn_duration_seconds',
    help: 'Turn latency.',
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });
  private readonly intents = new Counter({
    name: 'bot_recognitions_total',
    help: 'Messages recognized, by symptom id ("none" when out of scope).',
    labelNames: ['intent'],
    registers: [this.registry],
  });
  private recognitions = 0;
  private recognizedNone = 0;
  private readonly outcomes = new Counter({
    name: 'bot_outcomes_total',
    help: 'How troubleshooting ended: fixed, escalated, abandoned.',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly unmatchedMessages = new Counter({
    name: 'bot_unmatched_messages_total',
    help: 'Messages that started no flow: out of scope, or not understood.',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly deliveryFailures = new Counter({
    name: 'bot_delivery_failures_total',
    help: 'Failed escalation deliveries (retried), by kind.',
    labelNames: ['kind'],
    registers: [this.registry],
  });

  private readonly refusedTurns = new Counter({
    name: 'bot_turns_refused_total',
    help: 'Incoming activities answered 503 (Retry-After) because they waited MAX_TURN_WAIT_MS for a turn slot.',
    registers: [this.registry],
  });
  /** Where the turns in progress and waiting are read (the server's admission queue), once it says. */
  private admission?: { inProgress: number; queued: number };

  constructor() {
    const admission = (): { inProgress: number; queued: number } => this.admission ?? { inProgress: 0, queued: 0 };
    new Gauge({
      name: 'bot_turns_in_progress',
      help: 'Incoming activities whose turns are running now (at most MAX_CONCURRENT_TURNS).',
      registers: [this.registry],
      collect() {
        this.set(admission().inProgress);
      },
    });
    new Gauge({
      name: 'bot_turns_waiting',
      help: 'Incoming activities waiting for a turn slot, in order of arrival.',
      registers: [this.registry],
      collect() {
        this.set(admission().queued);
      },
    });
    const ratio = (): number => (this.recognitions ? this.recognizedNone / this.recognitions : 0);
    new Gauge({
      name: 'bot_recognition_none_ratio',
      help: 'Share of recognized messages answered "none".',
      registers: [this.registry],
      collect() {
        this.set(ratio());
      },
    });
    // Every outcome and kind of unmatched message is exposed from the start, at 0, so rates need no absent series.
    for (const outcome of OUTCOMES) this.outcomes.inc({ outcome }, 0);
    for (const kind of UNMATCHED) this.unmatchedMessages.inc({ kind }, 0);
    processMetrics();
  }

  turn(type: string, ms: number): void {
    this.turns.inc({ type });
    this.latency.observe(ms / 1000);
  }

  /** The admission queue whose turns in progress and waiting the gauges report. */
  watchAdmission(admission: { inProgress: number; queued: number }): void {
    this.admission = admission;
  }

  turnRefused(): void {
    this.refusedTurns.inc();
  }

  turnError(): void {
    this.turnErrors.inc();
  }

  recognized(intent: string): void {
    this.intents.inc({ intent });
    this.recognitions++;
    if (intent === 'none') this.recognizedNone++;
  }

  outcome(kind: 'fixed' | 'escalated' | 'abandoned'): void {
    this.outcomes.inc({ outcome: kind });
  }

  unmatched(kind: 'out-of-scope' | 'not-understood'): void {
    this.unmatchedMessages.inc({ kind });
  }

  deliveryFailed(kind: string): void {
    this.deliveryFailures.inc({ kind });
  }

  /** The content type of render()'s text (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The bot's metrics, then the process's. */
  async render(): Promise<string> {
    return `${await this.registry.metrics()}\n${await processMetrics().metrics()}`;
  }
}
