/**
 * A small in-process metrics registry exposed in the Prometheus text format (version 0.0.4) by GET /api/metrics.
 *
 * Why in-process and not a client library: the app needs a handful of counters, one histogram and no push
 * gateway; a dependency would add weight to the Function App package for ~150 lines. Values live in the memory of
 * one worker: on a scaled-out plan each instance exposes its own, which is how Prometheus counters are meant to be
 * summed (rate() across instances), and a restart resets them (Prometheus handles counter resets).
 *
 * Labels never carry personal data or company ids: routes are the function names ("period-submit"), never URLs.
 */

export type Labels = Record<string, string>;

interface Series {
  labels: Labels;
  value: number;
}

interface HistogramSeries {
  labels: Labels;
  counts: number[];
  sum: number;
  count: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Escaping of label values required by the text format: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function labelKey(names: readonly string[], labels: Labels): string {
  return names.map((n) => labels[n] ?? "").join("\u0000");
}

function renderLabels(labels: Labels, extra?: [string, string]): string {
  const pairs = Object.entries(labels);
  if (extra) pairs.push(extra);
  if (pairs.length === 0) return "";
  return `{${pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(",")}}`;
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  return String(n);
}

function checkLabels(metric: string, names: readonly string[], labels: Labels): Labels {
  const out: Labels = {};
  for (const name of names) {
    const v = labels[name];
    if (v === undefined) throw new Error(`metric ${metric}: label ${name} missing`);
    out[name] = String(v);
  }
  for (const name of Object.keys(labels)) if (!names.includes(name)) throw new Error(`metric ${metric}: unknown label ${name}`);
  return out;
}

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {
    if (!NAME.test(name)) throw new Error(`invalid metric name ${name}`);
    for (const l of labelNames) if (!LABEL.test(l) || l === "le") throw new Error(`invalid label name ${l}`);
  }
  abstract readonly type: "counter" | "gauge" | "histogram";
  abstract render(): string[];
  abstract reset(): void;
}

export class Counter extends Metric {
  readonly type = "counter" as const;
  private series = new Map<string, Series>();
  inc(labels: Labels = {}, by = 1): void {
    // A counter only goes up; a negative or non-finite increment is a programming error, dropped rather than
    // corrupting the series (metrics must never make the payroll fail).
    if (!Number.isFinite(by) || by < 0) return;
    const l = checkLabels(this.name, this.labelNames, labels);
    const key = labelKey(this.labelNames, l);
    const s = this.series.get(key) ?? { labels: l, value: 0 };
    s.value += by;
    this.series.set(key, s);
  }
  get(labels: Labels = {}): number {
    return this.series.get(labelKey(this.labelNames, labels))?.value ?? 0;
  }
  render(): string[] {
    if (this.series.size === 0 && this.labelNames.length === 0) return [`${this.name} 0`];
    return [...this.series.values()].map((s) => `${this.name}${renderLabels(s.labels)} ${formatNumber(s.value)}`);
  }
  reset(): void {
    this.series.clear();
  }
}

export class Gauge extends Metric {
  readonly type = "gauge" as const;
  private series = new Map<string, Series>();
  set(labels: Labels, value: number): void {
    if (!Number.isFinite(value)) return;
    const l = checkLabels(this.name, this.labelNames, labels);
    this.series.set(labelKey(this.labelNames, l), { labels: l, value });
  }
  get(labels: Labels = {}): number | undefined {
    return this.series.get(labelKey(this.labelNames, labels))?.value;
  }
  render(): string[] {
    return [...this.series.values()].map((s) => `${this.name}${renderLabels(s.labels)} ${formatNumber(s.value)}`);
  }
  reset(): void {
    this.series.clear();
  }
}

export class Histogram extends Metric {
  readonly type = "histogram" as const;
  private series = new Map<string, HistogramSeries>();
  readonly buckets: readonly number[];
  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    super(name, help, labelNames);
    this.buckets = [...buckets].sort((a, b) => a - b);
  }
  observe(labels: Labels, value: number): void {
    if (!Number.isFinite(value) || value < 0) return;
    const l = checkLabels(this.name, this.labelNames, labels);
    const key = labelKey(this.labelNames, l);
    const s = this.series.get(key) ?? { labels: l, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((b, i) => {
      if (value <= b) s.counts[i]! += 1;
    });
    s.sum += value;
    s.count += 1;
    this.series.set(key, s);
  }
  count(labels: Labels = {}): number {
    return this.series.get(labelKey(this.labelNames, labels))?.count ?? 0;
  }
  render(): string[] {
    const lines: string[] = [];
    for (const s of this.series.values()) {
      // Buckets are cumulative in the exposition format: counts[i] already counts every value <= bucket i.
      for (const [i, b] of this.buckets.entries()) lines.push(`${this.name}_bucket${renderLabels(s.labels, ["le", formatNumber(b)])} ${s.counts[i]}`);
      lines.push(`${this.name}_bucket${renderLabels(s.labels, ["le", "+Inf"])} ${s.count}`);
      lines.push(`${this.name}_sum${renderLabels(s.labels)} ${formatNumber(s.sum)}`);
      lines.push(`${this.name}_count${renderLabels(s.labels)} ${s.count}`);
    }
    return lines;
  }
  reset(): void {
    this.series.clear();
  }
}

export class Registry {
  private metrics = new Map<string, Metric>();
  private register<T extends Metric>(m: T): T {
    if (this.metrics.has(m.name)) throw new Error(`metric ${m.name} registered twice`);
    this.metrics.set(m.name, m);
    return m;
  }
  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.register(new Counter(name, help, labelNames));
  }
  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    return this.register(new Gauge(name, help, labelNames));
  }
  histogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]): Histogram {
    return this.register(new Histogram(name, help, labelNames, buckets));
  }
  /** The whole registry in the Prometheus text exposition format, ending with a line feed. */
  expose(): string {
    const lines: string[] = [];
    for (const m of this.metrics.values()) {
      lines.push(`# HELP ${m.name} ${escapeHelp(m.help)}`, `# TYPE ${m.name} ${m.type}`, ...m.render());
    }
    return `${lines.join("\n")}\n`;
  }
  /** Tests only: forget every value (the metrics stay registered). */
  reset(): void {
    for (const m of this.metrics.values()) m.reset();
  }
}

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
