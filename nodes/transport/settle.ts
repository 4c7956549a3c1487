/** A promise's outcome as a value: a failure becomes data to classify, not an exception to catch. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Waits for `promise` and returns how it ended. The transport passes retry signals and
 * cancellations between its layers; classifying them as values keeps every error it throws
 * to the user a NodeApiError or NodeOperationError made on purpose, never a caught one re-thrown.
 */
export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	return await promise.then(
		(value): Settled<T> => ({ ok: true, value }),
		(error: unknown): Settled<T> => ({ ok: false, error }),
	);
}
