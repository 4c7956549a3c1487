import type { JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { RequestContext } from './http';

/**
 * The two kinds of error a user sees, one factory each: `apiError` when the API (or what it
 * sent) is at fault, `inputError` when a parameter, option or credential field is. Everything
 * else the package throws inside is turned into one of them at the node's boundary.
 */

/** What the user is told about an API failure: nothing of the request itself. */
export interface FailureDetail {
	message: string;
	description: string;
	httpCode?: string;
	/** Provider status or network code, for the error's JSON. */
	code?: string;
}

/** The API, or what it sent, is at fault. */
export function apiError(ctx: RequestContext, detail: FailureDetail, itemIndex?: number): NodeApiError {
	const json: JsonObject = { message: detail.message };
	if (detail.code !== undefined) json.code = detail.code;
	if (detail.httpCode !== undefined) json.httpCode = detail.httpCode;
	const error = new NodeApiError(ctx.getNode(), json, {
		message: detail.message,
		description: detail.description,
		httpCode: detail.httpCode,
		itemIndex,
	});
	// NodeApiError swaps a message that mentions a network code (ECONNRESET, ...) for a generic
	// one; ours already says which address or file failed, and is kept.
	error.message = detail.message;
	return error;
}

/** A parameter, option or credential field is wrong: the message names it, the description says the fix. */
export function inputError(ctx: RequestContext, message: string, description: string, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), message, { description, itemIndex });
}

/**
 * Found by a paging or cursor helper in the data the API sent (pages that do not add up, rows out
 * of order). Those helpers know no node; the detail becomes an apiError at the boundary.
 */
export class ApiDataError extends Error {
	constructor(readonly detail: FailureDetail) {
		super(detail.message);
	}
}

/**
 * What a node throws for an error that reached its boundary: n8n's node errors pass unchanged (they
 * may come from another copy of n8n-workflow, so they are known by shape), an ApiDataError becomes
 * an apiError, anything else is wrapped so n8n shows it against the node and item.
 */
export function toNodeError(ctx: RequestContext, error: unknown, itemIndex?: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof Error && 'node' in error && /^Node(Api|Operation)Error$/.test(error.constructor.name)) return error;
	if (error instanceof ApiDataError) return apiError(ctx, error.detail, itemIndex);
	return new NodeOperationError(ctx.getNode(), error instanceof Error ? error : String(error), { itemIndex });
}
