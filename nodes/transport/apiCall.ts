import type { z } from 'zod/v4';

import type { FailureDetail } from './errors';
import { apiError } from './errors';
import type { RawResponse, RequestContext, SendOptions } from './http';
import { checkHttpStatus, parseJsonBody } from './http';
import { TransientFailure, withRetries } from './retry';

/** What a provider's status code means, and whether another attempt can cure it. */
export interface StatusInfo {
	message: string;
	description: string;
	/** The provider refused for load: retried, and the gate lowers its bound. */
	retryable?: boolean;
	/** Another attempt with a fresh signature may succeed (a single skewed timestamp). */
	retryOnce?: boolean;
}

/** An answer's outer frame, the same for every provider once read: status code, reason, payload. */
export interface Frame {
	code: string;
	reason?: string;
	/** Not checked yet: a failed answer's payload may be anything. */
	payload: unknown;
}

/**
 * What differs between the providers' JSON answers. Everything else about a request (retries,
 * the gate, HTTP statuses, JSON parsing, what a status means for retrying) is `callApi`'s.
 */
export interface ApiEnvelope<T> {
	/** Reads the frame out of a parsed body. */
	frame: z.ZodType<Frame>;
	/** The code of a successful answer. */
	successCode: string;
	/** Told when the body has no frame: `issues` says what was missing. */
	notAnAnswer: (issues: string) => Omit<FailureDetail, 'httpCode' | 'code'>;
	/** The provider's status table. */
	describeStatus: (code: string, reason: string | undefined) => StatusInfo;
	/** Checks a successful answer's payload. */
	payload: z.ZodType<T>;
	/** Told when a successful answer's payload does not check. */
	badPayload: (issues: string) => Omit<FailureDetail, 'httpCode' | 'code'>;
}

/** The first few problems zod found, as `path: message`. */
function describeIssues(error: z.ZodError): string {
	return error.issues
		.slice(0, 3)
		.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
		.join('; ');
}

/**
 * The one request pipeline of the package, for both providers: attempts under the gate with
 * retries → send → HTTP status → JSON → frame → status table → payload. Each step either passes
 * on, signals a retry (TransientFailure) or fails with an apiError.
 */
export async function callApi<T>(
	ctx: RequestContext,
	send: () => Promise<RawResponse>,
	envelope: ApiEnvelope<T>,
	options: SendOptions,
): Promise<T> {
	return await withRetries(ctx, options, async () => {
		const response = await send();
		checkHttpStatus(ctx, response, options);
		return openEnvelope(ctx, envelope, parseJsonBody(ctx, response, options), options.itemIndex);
	});
}

/** The payload of a successful answer; a retry signal or an error for any other. */
function openEnvelope<T>(ctx: RequestContext, envelope: ApiEnvelope<T>, body: unknown, itemIndex?: number): T {
	const frame = envelope.frame.safeParse(body);
	if (!frame.success) throw apiError(ctx, envelope.notAnAnswer(describeIssues(frame.error)), itemIndex);
	const { code, reason } = frame.data;
	if (code !== envelope.successCode) {
		const info = envelope.describeStatus(code, reason);
		const detail = {
			message: info.message,
			description: reason ? `${info.description} Provider's reason: "${reason}".` : info.description,
			code,
		};
		if (info.retryable) throw new TransientFailure(detail, { throttled: true });
		if (info.retryOnce) throw new TransientFailure(detail, { maxRetries: 1 });
		throw apiError(ctx, detail, itemIndex);
	}
	const payload = envelope.payload.safeParse(frame.data.payload);
	if (!payload.success) throw apiError(ctx, envelope.badPayload(describeIssues(payload.error)), itemIndex);
	return payload.data;
}
