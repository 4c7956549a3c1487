import { NodeApiError, sleep } from 'n8n-workflow';

import type { FailureDetail } from './errors';
import { apiError } from './errors';
import type { RequestContext, SendOptions } from './http';
import { settle } from './settle';

/** How often and how patiently transient failures are retried. */
export interface RetryPolicy {
	/** Retries after the first attempt. */
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, baseDelayMs: 250, maxDelayMs: 8_000 };

/** Longest Retry-After we honour; a server asking for more is treated as a permanent failure. */
export const MAX_RETRY_AFTER_MS = 120_000;

/**
 * A failure another attempt may cure: a 5xx, a 429, a reset connection, a provider hiccup. A
 * signal between the layers of one request, never shown: withRetries retries it, and turns it
 * into an apiError once the retries are spent.
 */
export class TransientFailure extends Error {
	constructor(
		readonly detail: FailureDetail,
		readonly options: { retryAfterMs?: number; throttled?: boolean; maxRetries?: number } = {},
	) {
		super(detail.message);
	}

	/** Read by the concurrency gate: the server refused for load. */
	get throttled(): boolean {
		return this.options.throttled === true;
	}
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed so a retry never fires
 * immediately, the other half is random so parallel pages do not retry in lockstep.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
	return Math.round(step / 2 + random() * (step / 2));
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(header: unknown, nowMs: number): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const at = Date.parse(text);
	return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Whether an error is a transient failure whose retries were spent (it may work later). */
export function isRetriesSpent(error: unknown): boolean {
	return error instanceof NodeApiError && error.context.retriesSpent === true;
}

/**
 * Runs `attempt` until it succeeds, a non-transient error occurs, or the retries are spent.
 * Each attempt takes a gate slot; the wait between attempts does not.
 */
export async function withRetries<T>(ctx: RequestContext, options: SendOptions, attempt: () => Promise<T>): Promise<T> {
	for (let retry = 0; ; retry++) {
		const outcome = await settle(options.gate ? options.gate.run(attempt) : attempt());
		if (outcome.ok) return outcome.value;
		const error = outcome.error;
		// Anything but a retry signal is already a node error (or the gate's cancellation).
		if (!(error instanceof TransientFailure)) throw error;
		const limit = Math.min(options.retry.maxRetries, error.options.maxRetries ?? Infinity);
		const retryAfter = error.options.retryAfterMs;
		if (retry >= limit || (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_MS)) {
			const tries = retry + 1;
			const spent = apiError(
				ctx,
				{ ...error.detail, description: `${error.detail.description} (gave up after ${tries} ${tries === 1 ? 'attempt' : 'attempts'})` },
				options.itemIndex,
			);
			spent.context.retriesSpent = true;
			throw spent;
		}
		// Another part of the read failed: stop retrying; gate.all reports that failure instead.
		if (options.gate?.isClosed) throw error;
		await sleep(Math.max(retryAfter ?? 0, backoffDelayMs(retry, options.retry)));
	}
}
