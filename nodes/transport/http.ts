import type { IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse, IPollFunctions } from 'n8n-workflow';

import { TRUST_FIX, certificateFailureOf } from './certificateFailure';
import type { CertificateProblem } from './certificateFailure';
import { ConcurrencyGate } from './concurrency';
import type { RunCredential } from './runCredential';
import type { FailureDetail } from './errors';
import { apiError } from './errors';
import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY_POLICY, TransientFailure, parseRetryAfterMs } from './retry';
import { settle } from './settle';

/**
 * The HTTP steps of a request, the same for both providers: send once through n8n's
 * authenticated helper, classify the HTTP status, parse the JSON body. apiCall.ts runs them.
 */

/** The contexts our nodes send requests from: a regular execution or a trigger's poll. */
export type RequestContext = IExecuteFunctions | IPollFunctions;

export interface RawResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: string;
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

/** Request options for one read: one gate bounds all its parallel parts; retries and time-out as set. */
export function sendOptionsFor(read: { concurrency: number; timeoutMs: number }, itemIndex: number): SendOptions & { gate: ConcurrencyGate } {
	return { retry: DEFAULT_RETRY_POLICY, gate: new ConcurrencyGate(read.concurrency), timeoutMs: read.timeoutMs, itemIndex };
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

/** A connection that failed this way may work on another attempt (no code: most likely a reset). */
export function isTransientNetworkCode(code: string | undefined): boolean {
	return code === undefined || TRANSIENT_NETWORK_CODES.has(code);
}

/** n8n's own words for an SSRF refusal, for when a wrapper has dropped the error's name. */
const SSRF_MESSAGE = /^The request was blocked because (it resolves to a restricted IP address|the destination hostname is restricted)/;

/**
 * n8n's SSRF protection (N8N_SSRF_PROTECTION_ENABLED, n8n 2.x) refused the address: its
 * SsrfBlockedIpError or SsrfBlockedHostnameError, known by name or by its words (the package
 * may not import n8n's network module). Its message and description say what was blocked and
 * how to allow it. Not retried: the address is refused, not unreachable.
 */
export function ssrfRefusalOf(error: unknown): { message: string; description: string } | undefined {
	type Named = { name?: unknown; message?: unknown; description?: unknown; cause?: unknown; errorResponse?: unknown };
	// The signed helper hands it on wrapped in a NodeApiError, which keeps its message and description but not its name.
	const candidates = [error, (error as Named)?.cause, (error as Named)?.errorResponse] as Array<Named | undefined>;
	const refusal = candidates.find(
		(candidate) =>
			(typeof candidate?.name === 'string' && candidate.name.startsWith('SsrfBlocked')) ||
			(typeof candidate?.message === 'string' && SSRF_MESSAGE.test(candidate.message)),
	);
	if (!refusal) return undefined;
	return { message: String(refusal.message ?? 'blocked by n8n'), description: typeof refusal.description === 'string' ? refusal.description : '' };
}

/** The network error code (ECONNRESET, ...) of a failed request, if it has one. */
export function networkCodeOf(error: unknown): string | undefined {
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
	const ssrf = ssrfRefusalOf(error);
	if (ssrf) return apiError(ctx, { message: `Could not reach the API at ${host}: n8n's SSRF protection refused it (${ssrf.message})`, description: ssrf.description }, options.itemIndex);
	const certificate = certificateFailureOf(error);
	if (certificate) {
		return apiError(ctx, { message: `The API's certificate at ${host} ${certificate.reason}`, description: API_CERTIFICATE_FIX[certificate.problem] }, options.itemIndex);
	}
	const detail: FailureDetail = {
		message: `Could not reach the API at ${host}${code ? ` (${code})` : ''}`,
		description:
			'The connection failed or timed out. Check the Base URL and that the n8n host can reach it; transient failures were retried.',
		code,
	};
	// withRetries retries a TransientFailure, and turns it into an apiError once it gives up.
	if (isTransientNetworkCode(code)) return new TransientFailure(detail);
	return apiError(ctx, detail, options.itemIndex);
}

/** What to do about each kind of certificate the API presented and n8n refused (not retried). */
const API_CERTIFICATE_FIX: Record<CertificateProblem, string> = {
	untrusted: `If the API is meant to use a certificate of your own or of a private CA, ${TRUST_FIX}. A provider's public API should not need this: check the credential's Base URL, and whether a proxy on the way replaces certificates.`,
	wrongName: "The certificate was issued for other names. Use the host name it was issued for in the credential's Base URL (an IP address works only if the certificate names it).",
	expired: "The provider must renew its certificate. If it looks current, check the n8n host's clock.",
	notYetValid: "Check the n8n host's clock: it is behind the certificate's start date.",
	refused: "Check the credential's Base URL, and whether a proxy on the way replaces certificates.",
};

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
		throw apiError(
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
	throw apiError(
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

/** Parses a 2xx body as JSON. An HTML page means a wrong address; cut-off JSON is retried. */
export function parseJsonBody(ctx: RequestContext, response: RawResponse, options: SendOptions): unknown {
	const text = response.body.trim();
	if (/^<(!doctype|html|head|body)/i.test(text)) {
		throw apiError(
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
	// A retry signal, like a reset connection: withRetries retries it, then reports an apiError.
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
