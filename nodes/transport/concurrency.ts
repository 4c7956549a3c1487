/**
 * Bounds how many requests of one run are in flight. When the provider pushes back (HTTP 429
 * or status -18) the bound drops to what the server just proved it accepts and stays there for
 * the rest of the run, so a throttled run slows down instead of hammering.
 */
export class ConcurrencyGate {
	private active = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(private limit: number) {}

	get currentLimit(): number {
		return this.limit;
	}

	async run<T>(task: () => Promise<T>): Promise<T> {
		if (this.active < this.limit) this.active++;
		// A waiter is woken with its slot already counted (see admit), so none is over-admitted.
		else await new Promise<void>((resolve) => this.waiting.push(resolve));
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
