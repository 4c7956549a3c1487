import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RequestContext } from './http';

/**
 * A credential as n8n's getCredentials gave it for one item: read once per run and handed to each
 * of its requests, so that n8n does not read it again (from its database) for every page.
 */
export type RunCredential = ICredentialsDecrypted & { data: ICredentialDataDecryptedObject };

export async function readCredential(ctx: RequestContext, type: string, itemIndex: number): Promise<RunCredential> {
	const data = await ctx.getCredentials(type, itemIndex);
	const details = ctx.getNode().credentials?.[type];
	return { id: details?.id ?? '', name: details?.name ?? type, type, data };
}

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
