import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SandboxGateway } from './accounts';
import type { Outcome } from './cards';

/** A card stored after a successful checkout: Paystack authorization_code, Flutterwave token, Razorpay token_id. */
export interface StoredCardRecord {
  token: string;
  gateway: SandboxGateway;
  connectionId: string;
  email: string;
  customerId?: string;
  /** The test card's number; its behaviour is looked up in cards.ts. */
  cardNumber: string;
}

/** A hosted checkout (plain data, so it survives a restart). `book` names the gateway record it pays. */
export interface CheckoutSession {
  id: string;
  gateway: SandboxGateway;
  connectionId: string;
  reference: string;
  /** Minor units. */
  amount: number;
  currency: string;
  email: string;
  status: 'open' | 'paid';
  /** The card number waiting for its OTP. */
  otpCardNumber?: string;
  redirectUrl?: string;
  book: string;
}

/**
 * Everything the sandbox knows, as JSON: written to `dataFile` after every change and read back at start, so a
 * restarted `npm run dev` keeps its stored cards, checkouts and gateway records. `sequence` only grows: every id
 * embeds it, so no id is ever issued twice, across restarts included.
 */
export interface SandboxData {
  version: 1;
  sequence: number;
  sessions: Record<string, CheckoutSession>;
  cards: Record<string, StoredCardRecord>;
  forced: Record<string, Outcome[]>;
  /** Each fake gateway's own records, owned and typed by its module. */
  books: Record<SandboxGateway, Record<string, unknown>>;
}

const empty = (): SandboxData => ({ version: 1, sequence: 0, sessions: {}, cards: {}, forced: {}, books: { paystack: {}, flutterwave: {}, razorpay: {} } });

export class SandboxState {
  readonly data: SandboxData;

  constructor(private readonly dataFile?: string) {
    this.data = dataFile ? SandboxState.read(dataFile) : empty();
  }

  private static read(file: string): SandboxData {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as SandboxData;
      return parsed.version === 1 ? { ...empty(), ...parsed } : empty();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return empty();
      throw new Error(`sandbox data file ${file} is unreadable: ${(err as Error).message}`);
    }
  }

  /** Persist now (atomic: write a temp file, then rename). A no-op without a data file (tests). */
  save(): void {
    if (!this.dataFile) return;
    mkdirSync(dirname(this.dataFile), { recursive: true });
    const tmp = `${this.dataFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data));
    renameSync(tmp, this.dataFile);
  }

  /** The next number of the sandbox-wide sequence. */
  next(): number {
    this.data.sequence += 1;
    return this.data.sequence;
  }

  get sessions(): Record<string, CheckoutSession> {
    return this.data.sessions;
  }

  get cards(): Record<string, StoredCardRecord> {
    return this.data.cards;
  }

  /** A gateway's records, created on first use. */
  book<T extends object>(gateway: SandboxGateway, init: () => T): T {
    const books = this.data.books as Record<string, unknown>;
    const key = `${gateway}`;
    const current = (books[key] ?? {}) as Record<string, unknown>;
    if (Object.keys(current).length === 0) books[key] = init();
    return books[key] as T;
  }

  forceNext(token: string, outcome: Outcome): void {
    this.data.forced[token] = [...(this.data.forced[token] ?? []), outcome];
  }

  /** A forced outcome for a stored card's next charge, if a test queued one. */
  takeForced(token: string): Outcome | undefined {
    const queue = this.data.forced[token];
    const next = queue?.shift();
    if (queue && queue.length === 0) delete this.data.forced[token];
    return next;
  }
}
