import { TgtbridgeError } from '../errors/index.js';

/**
 * A cursor over untrusted parsed YAML that knows its key path, so every validation error says
 * which file and which key (`tgtbridge.yaml: bridge.port: expected an integer 1..65535`).
 */
export class Node {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly value: unknown,
  ) {}

  fail(reason: string): never {
    throw new TgtbridgeError('ERR_CONFIG', `${this.file}: ${this.path || '(top level)'}: ${reason}`);
  }

  /** The value under `key`; an absent section reads as empty, so its children take defaults. */
  child(key: string): Node {
    const obj = this.present ? this.map() : {};
    return new Node(this.file, this.path ? `${this.path}.${key}` : key, obj[key]);
  }

  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  map(): Readonly<Record<string, unknown>> {
    if (typeof this.value !== 'object' || this.value === null || Array.isArray(this.value)) {
      this.fail('expected a mapping');
    }
    return this.value as Record<string, unknown>;
  }

  /** Refuse keys this section does not define: a typo must not silently turn a rule off. */
  onlyKeys(allowed: readonly string[]): this {
    if (!this.present) return this;
    for (const k of Object.keys(this.map())) {
      if (!allowed.includes(k)) new Node(this.file, this.path ? `${this.path}.${k}` : k, null).fail('unknown key');
    }
    return this;
  }

  string(fallback?: string): string {
    if (!this.present && fallback !== undefined) return fallback;
    if (typeof this.value !== 'string' || this.value.length === 0) this.fail('expected a non-empty string');
    return this.value;
  }

  optionalString(): string | undefined {
    return this.present ? this.string() : undefined;
  }

  int(min: number, max: number, fallback?: number): number {
    if (!this.present && fallback !== undefined) return fallback;
    const v = this.value;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(`expected an integer ${min}..${max}`);
    }
    return v;
  }

  bool(fallback: boolean): boolean {
    if (!this.present) return fallback;
    if (typeof this.value !== 'boolean') this.fail('expected true or false');
    return this.value;
  }

  oneOf<T extends string>(choices: readonly T[], fallback?: T): T {
    if (!this.present && fallback !== undefined) return fallback;
    if (typeof this.value !== 'string' || !(choices as readonly string[]).includes(this.value)) {
      this.fail(`expected one of ${choices.join(', ')}`);
    }
    return this.value as T;
  }

  list(fallback: readonly unknown[] = []): Node[] {
    if (!this.present) return fallback.map((v, i) => new Node(this.file, `${this.path}[${i}]`, v));
    if (!Array.isArray(this.value)) this.fail('expected a list');
    return this.value.map((v, i) => new Node(this.file, `${this.path}[${i}]`, v));
  }

  stringList(): string[] {
    return this.list().map((n) => n.string());
  }

  duration(fallback: number): number {
    if (!this.present) return fallback;
    const s = parseDuration(this.value);
    if (s === undefined) this.fail('expected a duration like 30s, 5m, 1h, 7d');
    return s;
  }
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** `90`, `30s`, `5m`, `1h`, `7d` → seconds; anything else → undefined. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v > 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{1,9})([smhd])$/.exec(v.trim());
  if (!m) return undefined;
  const seconds = Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
  return seconds > 0 ? seconds : undefined;
}
