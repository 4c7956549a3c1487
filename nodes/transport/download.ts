import type { IBinaryData, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { TRUST_FIX, certificateFailureOf } from './certificateFailure';
import { apiError } from './errors';
import type { RecordingHostPolicy } from './recordingHosts';
import { recordingHostRefusal } from './recordingHosts';
import type { RequestContext, SendOptions } from './http';
import { DEFAULT_TIMEOUT_MS, isTransientNetworkCode, networkCodeOf, ssrfRefusalOf } from './http';
import { TransientFailure, parseRetryAfterMs, withRetries } from './retry';
import type { RunCredential } from './runCredential';
import { settle } from './settle';

/**
 * Downloading a file (a call recording) into n8n's binary data, as a stream: the body goes from
 * the socket to n8n's binary-data store without being held whole, so n8n's filesystem mode keeps
 * memory flat however large or many the files are.
 */

/** Who may see the credential's headers, which hosts may be asked, how large one file may be and how long it may take. */
export interface DownloadPolicy {
	credential: RunCredential;
	/** Origins the signed headers may go to; every other host gets a plain request. */
	signedOrigins: ReadonlySet<string>;
	hosts: RecordingHostPolicy;
	maxBytes: number;
	/** The whole file, every attempt and redirect included; the Timeout only bounds a silence. */
	deadlineMs: number;
}

const MAX_REDIRECTS = 5;

/** The MIME types of the audio formats telephony platforms record in, for a host that sends none. */
const AUDIO_TYPES: Record<string, string> = {
	wav: 'audio/wav',
	mp3: 'audio/mpeg',
	ogg: 'audio/ogg',
	opus: 'audio/opus',
	m4a: 'audio/mp4',
	aac: 'audio/aac',
	amr: 'audio/amr',
	gsm: 'audio/gsm',
	flac: 'audio/flac',
	webm: 'audio/webm',
};

/** A URL without its query or fragment, which may hold a pre-signed link's token: safe to show. */
function shownUrl(url: URL): string {
	return url.origin + url.pathname;
}

/** The file name a URL ends with; `fallback` when its path has none. */
export function fileNameOf(url: URL, fallback: string): string {
	const last = url.pathname.split('/').filter(Boolean).pop();
	if (!last) return fallback;
	try {
		return decodeURIComponent(last);
	} catch {
		return last;
	}
}

/** The response's Content-Type without parameters; from the extension when it says nothing useful. */
export function mimeTypeOf(contentType: unknown, fileName: string): string {
	const declared = String(Array.isArray(contentType) ? contentType[0] : contentType ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	if (declared && declared !== 'application/octet-stream' && declared !== 'binary/octet-stream') return declared;
	const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
	return (extension && AUDIO_TYPES[extension]) || declared || 'application/octet-stream';
}

/**
 * Downloads `url` into a binary property, with retries under the gate. Redirects are followed
 * to https only, and the headers never go on to another origin. A host the address rules refuse
 * (recordingHosts.ts) is never contacted, first or after a redirect. Any failure left after the
 * retries is an apiError whose message names the file and what went wrong.
 */
export async function downloadFile(ctx: RequestContext, url: URL, policy: DownloadPolicy, options: SendOptions): Promise<IBinaryData> {
	const refused = recordingHostRefusal(url, policy.hosts);
	if (refused) throw refusal(ctx, url, refused, options);
	// One deadline for the file, from its first attempt (not while it waits for a slot) across
	// the retries: a host that trickles a byte at a time never trips the idle Timeout, and must
	// not hold a slot for ever. (An unref'd timer, as n8n Cloud's rules allow.)
	let deadline: AbortSignal | undefined;
	return await withRetries(ctx, options, async () => {
		deadline ??= AbortSignal.timeout(policy.deadlineMs);
		return await downloadOnce(ctx, url, policy, options, deadline);
	});
}

/** A recording the address rules do not let us fetch: it says which rule, and nothing of the host (it was not asked). */
function refusal(ctx: RequestContext, url: URL, rule: string, options: SendOptions, via?: URL) {
	return apiError(
		ctx,
		{
			message: `The recording ${shownUrl(url)} was not downloaded: ${via ? `it redirects to ${via.origin}, and ` : ''}${rule}`,
			description:
				'Recording URLs come from the provider\'s answer, so they may not point at localhost or a private network. For self-hosted recording storage, turn on "Allow Private-Network Recording Hosts" in the Call Records API credential; the addresses typed into the credential (Base URL, Recording Base URL) are always allowed.',
		},
		options.itemIndex,
	);
}

async function downloadOnce(ctx: RequestContext, url: URL, policy: DownloadPolicy, options: SendOptions, deadline: AbortSignal): Promise<IBinaryData> {
	let target = url;
	let signed = policy.signedOrigins.has(target.origin);
	const fail = (reason: string, httpCode?: number) =>
		apiError(
			ctx,
			{ message: `The recording ${shownUrl(url)} could not be downloaded: ${reason}`, description: DESCRIPTION, httpCode: httpCode ? String(httpCode) : undefined },
			options.itemIndex,
		);
	const late = () => fail(`it took longer than the ${seconds(policy.deadlineMs)} allowed for one recording`);
	for (let hop = 0; ; hop++) {
		if (deadline.aborted) throw late();
		const sent = await settle(open(ctx, target, signed ? policy.credential : undefined, options, deadline));
		if (!sent.ok) throw deadline.aborted ? late() : streamFailure(ctx, sent.error, url, options);
		const response = sent.value;
		const { statusCode, headers } = response;
		const body = response.body as StreamBody;
		if (statusCode >= 300 && statusCode < 400 && headers.location) {
			discard(body);
			if (hop >= MAX_REDIRECTS) throw fail(`more than ${MAX_REDIRECTS} redirects`, statusCode);
			const next = parseUrl(String(headers.location), target);
			if (!next) throw fail(`redirected to an address that is not a valid URL`, statusCode);
			if (next.protocol !== 'https:') throw fail(`redirected to a non-https address (${next.origin})`, statusCode);
			const refused = recordingHostRefusal(next, policy.hosts);
			if (refused) throw refusal(ctx, url, refused, options, next);
			// Once the file has left the origin the headers were meant for, they are not sent again.
			if (next.origin !== target.origin) signed = false;
			target = next;
			continue;
		}
		if (statusCode === 429 || statusCode === 408 || statusCode >= 500) {
			discard(body);
			throw new TransientFailure(
				{ message: `The recording host answered HTTP ${statusCode} for ${shownUrl(url)}`, description: DESCRIPTION, httpCode: String(statusCode) },
				{ retryAfterMs: parseRetryAfterMs(headers['retry-after'], Date.now()), throttled: statusCode === 429 },
			);
		}
		if (statusCode < 200 || statusCode >= 300) {
			discard(body);
			throw fail(`HTTP ${statusCode}`, statusCode);
		}
		const declared = Number(headers['content-length']);
		if (declared > policy.maxBytes) {
			discard(body);
			throw fail(`it is ${megabytes(declared)}, over the limit of ${megabytes(policy.maxBytes)}`);
		}
		const fileName = fileNameOf(target, 'recording');
		const cap = capBytes(body, policy.maxBytes);
		const stop = () => body.destroy(new Error('past the deadline'));
		deadline.addEventListener('abort', stop);
		const stored = await settle(ctx.helpers.prepareBinaryData(body as never, fileName, mimeTypeOf(headers['content-type'], fileName)));
		deadline.removeEventListener('abort', stop);
		if (stored.ok) return stored.value;
		if (cap.exceeded) throw fail(`it is over the limit of ${megabytes(policy.maxBytes)}`);
		if (deadline.aborted) throw late();
		throw streamFailure(ctx, stored.error, url, options);
	}
}

const DESCRIPTION =
	'Transient failures were retried. For a link that has expired or a file the host no longer keeps, set Options → On Missing Recording to "Continue Without the File" to receive the record with a recordingError instead.';

/** `text` read against `base`; undefined when it is no URL (`https://`, a port over 65535). */
export function parseUrl(text: string, base?: URL | string): URL | undefined {
	try {
		return new URL(text, base);
	} catch {
		return undefined;
	}
}

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

function megabytes(bytes: number): string {
	return `${Math.round((bytes / 1_048_576) * 10) / 10} MB`;
}

/** What this module needs of the response body, a Node.js readable stream. */
interface StreamBody {
	push: (chunk: unknown, encoding?: string) => boolean;
	destroy: (error?: Error) => void;
}

/** Drops a body that will not be read, freeing its connection. */
function discard(body: StreamBody | undefined): void {
	body?.destroy?.();
}

/**
 * Counts the bytes entering the body and ends it with an error past `maxBytes`, whoever reads
 * it and however late. Every chunk a readable stream receives goes through its `push`; this
 * wraps that instead of piping through a Transform, as n8n Cloud's rules allow a node no import
 * of Node's stream module.
 */
function capBytes(body: StreamBody, maxBytes: number): { exceeded: boolean } {
	const state = { exceeded: false };
	let bytes = 0;
	const push = body.push.bind(body);
	body.push = (chunk, encoding) => {
		bytes += (chunk as { length?: number } | null)?.length ?? 0;
		if (bytes <= maxBytes) return push(chunk, encoding);
		state.exceeded = true;
		body.destroy(new Error('over the size limit'));
		return false;
	};
	return state;
}

/** Opens the response as a stream; signed only with a credential. Statuses come back as responses. */
async function open(ctx: RequestContext, url: URL, credential: RunCredential | undefined, options: SendOptions, deadline: AbortSignal): Promise<IN8nHttpFullResponse> {
	const request: IHttpRequestOptions = {
		method: 'GET',
		url: url.href,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		abortSignal: deadline,
	};
	return (await (credential
		? ctx.helpers.httpRequestWithAuthentication.call(ctx, credential.type, request, { credentialsDecrypted: credential })
		: ctx.helpers.httpRequest(request))) as IN8nHttpFullResponse;
}

/** A connection that failed before or during the body: retried when it may work next time; a cancelled run passes on. */
function streamFailure(ctx: RequestContext, error: unknown, url: URL, options: SendOptions): unknown {
	const code = networkCodeOf(error);
	if (code === 'ERR_CANCELED') return error;
	// Not retried: the address is refused, not unreachable.
	const ssrf = ssrfRefusalOf(error);
	if (ssrf) {
		return apiError(ctx, { message: `The recording ${shownUrl(url)} was not downloaded: n8n's SSRF protection refused it (${ssrf.message})`, description: ssrf.description }, options.itemIndex);
	}
	const certificate = certificateFailureOf(error);
	if (certificate) {
		// The message is what a record's recordingError keeps, so it carries the fix.
		const fix = certificate.problem === 'untrusted' ? `; to trust a private CA, ${TRUST_FIX}` : '';
		return apiError(ctx, { message: `The recording ${shownUrl(url)} could not be downloaded: the host's certificate ${certificate.reason}${fix}`, description: DESCRIPTION }, options.itemIndex);
	}
	const detail = {
		message: `The recording ${shownUrl(url)} could not be downloaded: the connection failed${code ? ` (${code})` : ''}`,
		description: DESCRIPTION,
		code,
	};
	return isTransientNetworkCode(code) ? new TransientFailure(detail) : apiError(ctx, detail, options.itemIndex);
}
