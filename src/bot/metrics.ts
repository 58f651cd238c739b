/** What the conversation reports to metrics (kept tiny so dialogs don't depend on a metrics library). */
export interface BotEvents {
  recognized(intent: string): void;
  outcome(kind: 'fixed' | 'escalated' | 'abandoned'): void;
  unmatched(kind: 'out-of-scope' | 'not-understood'): void;
}

const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

/** Prometheus metrics of the bot, in the text exposition format (GET /metrics). */
export class Metrics implements BotEvents {
  private readonly turns = new Map<string, number>();
  private readonly buckets = new Array<number>(LATENCY_BUCKETS_MS.length).fill(0);
  private latencySum = 0;
  private latencyCount = 0;
  private readonly intents = new Map<string, number>();
  private readonly outcomes = new Map<string, number>();
  private readonly unmatchedMessages = new Map<string, number>();
  private readonly deliveryFailures = new Map<string, number>();
  private readonly turnErrors = { count: 0 };

  turn(type: string, ms: number): void {
    inc(this.turns, type);
    this.latencySum += ms / 1000;
    this.latencyCount++;
    LATENCY_BUCKETS_MS.forEach((b, i) => {
      if (ms <= b) this.buckets[i]!++;
    });
  }

  turnError(): void {
    this.turnErrors.count++;
  }

  recognized(intent: string): void {
    inc(this.intents, intent);
  }

  outcome(kind: 'fixed' | 'escalated' | 'abandoned'): void {
    inc(this.outcomes, kind);
  }

  unmatched(kind: 'out-of-scope' | 'not-understood'): void {
    inc(this.unmatchedMessages, kind);
  }

  deliveryFailed(kind: string): void {
    inc(this.deliveryFailures, kind);
  }

  render(): string {
    const out: string[] = [];
    const family = (name: string, help: string, type: string): void => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };
    family('bot_turns_total', 'Turns processed, by activity type.', 'counter');
    for (const [k, v] of this.turns) out.push(`bot_turns_total{type="${esc(k)}"} ${v}`);
    family('bot_turn_errors_total', 'Turns that failed with an error.', 'counter');
    out.push(`bot_turn_errors_total ${this.turnErrors.count}`);
    family('bot_turn_duration_seconds', 'Turn latency.', 'histogram');
    LATENCY_BUCKETS_MS.forEach((b, i) => out.push(`bot_turn_duration_seconds_bucket{le="${b / 1000}"} ${this.buckets[i]}`));
    out.push(`bot_turn_duration_seconds_bucket{le="+Inf"} ${this.latencyCount}`);
    out.push(`bot_turn_duration_seconds_sum ${this.latencySum}`, `bot_turn_duration_seconds_count ${this.latencyCount}`);
    family('bot_recognitions_total', 'Messages recognized, by symptom id ("none" when out of scope).', 'counter');
    for (const [k, v] of this.intents) out.push(`bot_recognitions_total{intent="${esc(k)}"} ${v}`);
    const total = [...this.intents.values()].reduce((a, b) => a + b, 0);
    family('bot_recognition_none_ratio', 'Share of recognized messages answered "none".', 'gauge');
    out.push(`bot_recognition_none_ratio ${total ? (this.intents.get('none') ?? 0) / total : 0}`);
    family('bot_outcomes_total', 'How troubleshooting ended: fixed, escalated, abandoned.', 'counter');
    for (const k of ['fixed', 'escalated', 'abandoned']) out.push(`bot_outcomes_total{outcome="${k}"} ${this.outcomes.get(k) ?? 0}`);
    family('bot_unmatched_messages_total', 'Messages that started no flow: out of scope, or not understood.', 'counter');
    for (const k of ['out-of-scope', 'not-understood'])
      out.push(`bot_unmatched_messages_total{kind="${k}"} ${this.unmatchedMessages.get(k) ?? 0}`);
    family('bot_delivery_failures_total', 'Failed escalation deliveries (retried), by kind.', 'counter');
    for (const [k, v] of this.deliveryFailures) out.push(`bot_delivery_failures_total{kind="${esc(k)}"} ${v}`);
    return `${out.join('\n')}\n`;
  }
}

const inc = (m: Map<string, number>, k: string): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};
const esc = (s: string): string => s.replace(/["\\\n]/g, '_');
