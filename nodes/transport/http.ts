import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { ConcurrencyGate } from './concurrency';
import type { RunCredential } from './credentialChecks';
import type { RetryPolicy } from './retry';
import { MAX_RETRY_AFTER_MS, backoffDelayMs, parseRetryAfterMs } from './retry';
import { settle } from './settle';

/** The contexts our nodes send requests from: a regular execution or a trigger's poll. */
export type RequestContext = IExecuteFunctions | IPollFunctions;

export interface RawResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: string;
}

export interface FailureDetail {
	message: string;
	description: string;
	httpCode?: string;
	/** Provider status or network code, for the error's JSON. */
	code?: string;
}

/** A failure another attempt may cure: a 5xx, a 429, a reset connection, a provider hiccup. */
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

export const DEFAULT_TIMEOUT_MS = 60_000;

export interface SendOptions {
	retry: RetryPolicy;
	/** How long one attempt may take before it counts as a (retried) time-out. */
	timeoutMs?: number;
	/** Shared by the pages of one run; every attempt takes a slot, backoff sleeps do not. */
	gate?: ConcurrencyGate;
	itemIndex?: number;
	/** Removes secrets (a query-string app secret) from anything that may reach the user. */
	redact?: (text: string) => string;
}

const TRANSIENT_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'ERR_BAD_RESPONSE',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_SOCKET',
]);

function networkCodeOf(error: unknown): string | undefined {
	const cause = (error as { cause?: { code?: unknown } })?.cause;
	const code = cause?.code ?? (error as { code?: unknown })?.code;
	return typeof code === 'string' ? code : undefined;
}

/**
 * One HTTP exchange through n8n's authenticated request helper. HTTP error statuses come back
 * as responses (we classify them); network failures become TransientFailure or a clean error.
 */
export async function sendOnce(
	ctx: RequestContext,
	credential: RunCredential,
	request: IHttpRequestOptions,
	options: SendOptions,
): Promise<RawResponse> {
	const sent = await settle(
		ctx.helpers.httpRequestWithAuthentication.call(ctx, credential.type, {
			...request,
			timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			encoding: 'text',
			json: false,
			// A redirect is reported, not followed: the request carries the credential's key and
			// signature (or NXCloud's secret in its query), and a POST followed becomes a GET.
			disableFollowRedirect: true,
		}, { credentialsDecrypted: credential }) as Promise<IN8nHttpFullResponse>,
	);
	if (!sent.ok) throw networkFailure(ctx, sent.error, request, options);
	const response = sent.value;
	const body = typeof response.body === 'string' ? response.body : String(response.body ?? '');
	return { statusCode: response.statusCode, headers: response.headers ?? {}, body };
}

/**
 * What a request that got no answer becomes: a cancellation (the run was stopped) passes on
 * untouched, a transient network failure is a retry signal, anything else a clean error.
 */
function networkFailure(ctx: RequestContext, error: unknown, request: IHttpRequestOptions, options: SendOptions): unknown {
	const code = networkCodeOf(error);
	if (code === 'ERR_CANCELED') return error;
	const redact = options.redact ?? ((text: string) => text);
	const host = redact(String(request.url ?? '')).replace(/^(https?:\/\/[^/]+).*$/, '$1');
	const detail: FailureDetail = {
		message: `Could not reach the API at ${host}${code ? ` (${code})` : ''}`,
		description:
			'The connection failed or timed out. Check the Base URL and that the n8n host can reach it; transient failures were retried.',
		code,
	};
	// withRetries retries a TransientFailure, and turns it into failure() once it gives up.
	if (code === undefined || TRANSIENT_NETWORK_CODES.has(code)) return new TransientFailure(detail);
	return failure(ctx, detail, options.itemIndex);
}

/**
 * What a node throws for an error caught at its boundary: n8n's node errors pass unchanged (they
 * may come from another copy of n8n-workflow, so they are known by shape), anything else is
 * wrapped so n8n shows it against the node and item.
 */
export function toNodeError(ctx: RequestContext, error: unknown, itemIndex?: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof Error && 'node' in error && /^Node(Api|Operation)Error$/.test(error.constructor.name)) return error;
	return new NodeOperationError(ctx.getNode(), error instanceof Error ? error : String(error), { itemIndex });
}

/** The user-facing error for a failure, carrying only what we chose to show (never the request). */
export function failure(ctx: RequestContext, detail: FailureDetail, itemIndex?: number): NodeApiError {
	const json: JsonObject = { message: detail.message };
	if (detail.code !== undefined) json.code = detail.code;
	if (detail.httpCode !== undefined) json.httpCode = detail.httpCode;
	return new NodeApiError(ctx.getNode(), json, {
		message: detail.message,
		description: detail.description,
		httpCode: detail.httpCode,
		itemIndex,
	});
}

/** Classifies the HTTP status of a response: throws for anything but 2xx. */
export function checkHttpStatus(ctx: RequestContext, response: RawResponse, options: SendOptions): void {
	const { statusCode } = response;
	if (statusCode >= 200 && statusCode < 300) return;
	const httpCode = String(statusCode);
	if (statusCode === 429) {
		const retryAfterMs = parseRetryAfterMs(response.headers['retry-after'], Date.now());
		throw new TransientFailure(
			{
				message: 'The API is rate limiting requests (HTTP 429)',
				description: 'Requests were slowed down and retried. Lower "Max Parallel Requests" or run again later.',
				httpCode,
			},
			{ retryAfterMs, throttled: true },
		);
	}
	if (statusCode >= 300 && statusCode < 400) {
		// Only the new address's origin is shown: its path or query may echo what was sent.
		const origin = /^https?:\/\/[^/?#]+/i.exec(String(response.headers.location ?? ''))?.[0];
		throw failure(
			ctx,
			{
				message: `The API answered HTTP ${statusCode}, a redirect${origin ? ` to ${origin}` : ''}`,
				description:
					"Requests are not sent on to another address, as they carry the credential's secrets. If the provider has moved its API, set the credential's Base URL to the new address (Platform \"Custom\" for the Call Records API).",
				httpCode,
			},
			options.itemIndex,
		);
	}
	if (statusCode >= 500 || statusCode === 408) {
		throw new TransientFailure({
			message: `The API answered HTTP ${statusCode}`,
			description: 'A server-side failure. It was retried; if it persists, the provider may be down: run again later.',
			httpCode,
		});
	}
	throw failure(
		ctx,
		{
			message: `The API answered HTTP ${statusCode}`,
			description:
				statusCode === 404
					? "The address does not exist. Check the credential's Base URL (and, for the Call Records API, its Platform)."
					: 'The request was refused. Check the credential and the node parameters.',
			httpCode,
		},
		options.itemIndex,
	);
}

/**
 * Runs `attempt` until it succeeds, a non-transient error occurs, or the retries are spent.
 * Each attempt takes a gate slot; the wait between attempts does not.
 */
export async function withRetries<T>(
	ctx: RequestContext,
	options: SendOptions,
	attempt: () => Promise<T>,
): Promise<T> {
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
			throw failure(
				ctx,
				{
					...error.detail,
					description: `${error.detail.description} (gave up after ${tries} ${tries === 1 ? 'attempt' : 'attempts'})`,
				},
				options.itemIndex,
			);
		}
		// Another part of the read failed: stop retrying; gate.all reports that failure instead.
		if (options.gate?.isClosed) throw error;
		await sleep(Math.max(retryAfter ?? 0, backoffDelayMs(retry, options.retry)));
	}
}

/** Parses a 2xx body as JSON. An HTML page means a wrong address; cut-off JSON is retried. */
export function parseJsonBody(ctx: RequestContext, response: RawResponse, options: SendOptions): unknown {
	const text = response.body.trim();
	if (/^<(!doctype|html|head|body)/i.test(text)) {
		throw failure(
			ctx,
			{
				message: 'The API answered with an HTML page instead of JSON',
				description:
					'The address is probably not the API (a login page, proxy or web site). Check the Platform and Base URL in the credential.',
				httpCode: String(response.statusCode),
			},
			options.itemIndex,
		);
	}
	const parsed = parseJson(text);
	if (parsed.ok) return parsed.value;
	// A retry signal, like a reset connection: withRetries retries it, then reports failure().
	throw new TransientFailure({
		message: text === '' ? 'The API answered with an empty body' : 'The API answered with invalid or cut-off JSON',
		description: 'The answer could not be read. It was retried; if it persists, the provider may be having trouble.',
		httpCode: String(response.statusCode),
	});
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false };
	}
}
