import type { Settled } from './settle';
import { settle } from './settle';

/**
 * Bounds how many requests of one run are in flight. When the provider pushes back (HTTP 429,
 * status -18 or NXCloud's code 3) on a request sent as the k-th in flight, the bound drops to
 * k - 1 (what the server evidently accepts) and stays there for the rest of the run, so a
 * throttled run slows down instead of hammering.
 */
export class ConcurrencyGate {
	private active = 0;
	private readonly waiting: Array<() => void> = [];
	private closed = false;

	constructor(private limit: number) {}

	get isClosed(): boolean {
		return this.closed;
	}

	/**
	 * Runs parallel parts of one read (windows, shards). If one fails, the gate closes so the
	 * others stop at their next request, and the failure is reported once they have stopped:
	 * nothing of a failed run goes on in the background.
	 */
	async all<T>(tasks: Array<() => Promise<T>>): Promise<T[]> {
		let failed: { error: unknown } | undefined;
		const values = await Promise.all(
			tasks.map(async (task) => {
				try {
					return await task();
				} catch (error) {
					// Keep the first real failure in time, not the cancellations (or retry signals cut
					// short by the closed gate) that it then causes in the other parts.
					if (!failed || (failed.error instanceof GateClosedError && !(error instanceof GateClosedError))) failed = { error };
					this.close();
					return undefined;
				}
			}),
		);
		if (failed) throw failed.error;
		return values as T[];
	}

	private close(): void {
		this.closed = true;
		for (const wake of this.waiting.splice(0)) wake();
	}

	get currentLimit(): number {
		return this.limit;
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.closed) throw new GateClosedError();
		if (this.active < this.limit) this.active++;
		// A waiter is woken with its slot already counted (see admit), so none is over-admitted.
		else await new Promise<void>((resolve) => this.waiting.push(resolve));
		if (this.closed) {
			this.active--;
			throw new GateClosedError();
		}
		const level = this.active;
		let outcome: Settled<T>;
		try {
			outcome = await settle(task());
			// Refused for load: lower the bound before the slot is handed on.
			if (!outcome.ok && (outcome.error as { throttled?: unknown })?.throttled === true) this.throttle(level);
		} finally {
			this.active--;
			this.admit();
		}
		if (outcome.ok) return outcome.value;
		// Passed on as it came: a retry signal for withRetries, or already a node error.
		throw outcome.error;
	}

	/** A request sent as the `level`-th in flight was refused for load: stay below that. */
	throttle(level: number): void {
		this.limit = Math.max(1, Math.min(this.limit, level - 1));
	}

	private admit(): void {
		while (this.active < this.limit && this.waiting.length > 0) {
			this.active++;
			this.waiting.shift()!();
		}
	}
}

/** A part of a read that another part's failure cancelled; never reaches the user. */
export class GateClosedError extends Error {
	constructor() {
		super('Cancelled: another part of this read failed');
	}
}
