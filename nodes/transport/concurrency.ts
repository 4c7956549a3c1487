/**
 * Bounds how many requests of one run are in flight. When the provider pushes back (HTTP 429
 * or status -18) the bound drops to what the server just proved it accepts and stays there for
 * the rest of the run, so a throttled run slows down instead of hammering.
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
		let first: { error: unknown } | undefined;
		const settled = await Promise.allSettled(
			tasks.map(async (task) => {
				try {
					return await task();
				} catch (error) {
					if (!first && !(error instanceof GateClosedError)) first = { error };
					this.close();
					throw error;
				}
			}),
		);
		if (first) throw first.error;
		const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
		if (rejected) throw rejected.reason;
		return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
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
		try {
			return await task();
		} finally {
			this.active--;
			this.admit();
		}
	}

	/** Called after a throttled attempt has left the gate: keep only the parallelism still in flight. */
	throttle(): void {
		this.limit = Math.max(1, Math.min(this.limit, this.active));
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
