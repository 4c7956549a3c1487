import type { IPollFunctions } from 'n8n-workflow';

/** A catch-up reads no further parts once this share of the budget is spent: the rest is for recordings. */
export const READ_SHARE = 0.5;
/** Recordings are downloaded (a few at a time) until this share of the budget is spent. */
export const DOWNLOAD_SHARE = 0.8;

/**
 * The time a poll may spend: n8n-workflow 2.41's `getPollBudgetMs()`, the milliseconds before
 * the engine abandons the tick. Releases without it set no budget. Measured on the monotonic
 * clock, not Date.now, which the wall clock may move.
 */
export class PollBudget {
	private readonly startedMs = performance.now();
	private readonly budgetMs: number | undefined;

	constructor(ctx: IPollFunctions) {
		const withBudget = ctx as IPollFunctions & { getPollBudgetMs?: () => number };
		const budgetMs = typeof withBudget.getPollBudgetMs === 'function' ? withBudget.getPollBudgetMs() : undefined;
		this.budgetMs = typeof budgetMs === 'number' && Number.isFinite(budgetMs) && budgetMs > 0 ? budgetMs : undefined;
	}

	/** Whether `share` of the budget is spent, or would be after `aheadMs` more (never, without a budget). */
	spent(share: number, aheadMs = 0): boolean {
		return this.budgetMs !== undefined && performance.now() - this.startedMs + aheadMs >= share * this.budgetMs;
	}
}
