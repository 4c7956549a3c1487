import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';

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

/** Whether a Base URL is an absolute http(s) address. */
export function isHttpUrl(text: string): boolean {
	try {
		return /^https?:$/.test(new URL(text).protocol);
	} catch {
		return false;
	}
}
