import { NodeOperationError } from 'n8n-workflow';

import type { RequestContext } from './http';

/** An error about a credential field, raised before any request, naming the credential and the field. */
export function credentialError(ctx: RequestContext, credential: string, message: string, description: string, itemIndex: number) {
	return new NodeOperationError(ctx.getNode(), `${credential} credential: ${message}`, { description, itemIndex });
}

/** Whether a Base URL is an absolute http(s) address. */
export function isHttpUrl(text: string): boolean {
	try {
		return /^https?:$/.test(new URL(text).protocol);
	} catch {
		return false;
	}
}
