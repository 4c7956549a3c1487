import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod/v4';

import type { RunCredential } from './credentialChecks';
import { credentialError, isHttpUrl, readCredential } from './credentialChecks';
import type { SendOptions, RequestContext } from './http';
import { TransientFailure, checkHttpStatus, failure, parseJsonBody, sendOnce, withRetries } from './http';
import type { Page, RawRecord } from './paginate';
import type { PathStyle, PlatformEndpoint, PlatformId } from './platforms';
import { ENDPOINT_PATHS, PLATFORMS } from './platforms';
import { describePlatformStatus } from './statusCodes';
import { ZoneClock, isValidTimeZone } from './time';

export const CALL_RECORDS_CREDENTIAL = 'callRecordsApi';

/** What a node needs to know about the account behind a Call Records API credential. */
export interface PlatformAccount {
	baseUrl: string;
	pathStyle: PathStyle;
	/** The time zone the API's offset-less times are written in. */
	accountClock: ZoneClock;
	credential: RunCredential;
}

const fail = (ctx: RequestContext, message: string, description: string, itemIndex: number) =>
	credentialError(ctx, 'Call Records API', message, description, itemIndex);

/** Reads and checks the credential before any request is sent. */
export async function getPlatformAccount(ctx: RequestContext, itemIndex = 0): Promise<PlatformAccount> {
	const credential = await readCredential(ctx, CALL_RECORDS_CREDENTIAL, itemIndex);
	const credentials = credential.data;
	if (!String(credentials.apiKey ?? '').trim()) {
		throw fail(ctx, 'API Key is empty', "Open the credential and paste the API key from the provider's console.", itemIndex);
	}
	if (!String(credentials.apiSecret ?? '').trim()) {
		throw fail(ctx, 'API Secret is empty', "Open the credential and paste the API secret from the provider's console.", itemIndex);
	}
	const timeZone = String(credentials.timeZone ?? 'UTC').trim() || 'UTC';
	if (!isValidTimeZone(timeZone)) {
		throw fail(
			ctx,
			`Account Time Zone "${timeZone}" is not a time zone`,
			'Use an IANA time zone name such as UTC, Asia/Shanghai or Europe/Berlin.',
			itemIndex,
		);
	}
	const platform = String(credentials.platform ?? 'itnio') as PlatformId;
	if (platform !== 'custom') {
		const known = PLATFORMS[platform];
		if (!known) {
			throw fail(ctx, `unknown Platform "${platform}"`, 'Choose ITNIO Tech, Laaffic or Custom.', itemIndex);
		}
		return { baseUrl: known.baseUrl, pathStyle: known.pathStyle, accountClock: new ZoneClock(timeZone), credential };
	}
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	if (!isHttpUrl(baseUrl)) {
		throw fail(
			ctx,
			baseUrl ? `Base URL "${baseUrl}" is not a valid http(s) address` : 'Base URL is empty',
			'With Platform "Custom", set Base URL to the API root, for example https://api.onbuka.com.',
			itemIndex,
		);
	}
	const pathStyle: PathStyle = credentials.pathStyle === 'legacy' ? 'legacy' : 'v3';
	return { baseUrl, pathStyle, accountClock: new ZoneClock(timeZone), credential };
}

const statusSchema = z.union([z.string(), z.number()]).transform(String);
export const envelopeSchema = z.object({
	status: statusSchema,
	reason: z.string().nullish(),
	data: z.unknown(),
});
const isRecord = (value: unknown): value is RawRecord =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
const count = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().nonnegative());
export const pageDataSchema = z.object({
	total: count,
	pages: count,
	records: z.array(z.custom<RawRecord>(isRecord, { message: 'each record must be an object' })),
});

function describeIssues(error: z.ZodError): string {
	return error.issues
		.slice(0, 3)
		.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
		.join('; ');
}

/** Reads one page of a signed platform endpoint, with retries, and checks its envelope. */
export async function queryPlatformPage(
	ctx: RequestContext,
	account: PlatformAccount,
	endpoint: PlatformEndpoint,
	body: IDataObject,
	options: SendOptions,
): Promise<Page<RawRecord>> {
	const url = account.baseUrl + ENDPOINT_PATHS[account.pathStyle][endpoint];
	return await withRetries(ctx, options, async () => {
		const response = await sendOnce(
			ctx,
			account.credential,
			{ method: 'POST', url, body, headers: { 'Content-Type': 'application/json;charset=UTF-8' } },
			options,
		);
		checkHttpStatus(ctx, response, options);
		const envelope = envelopeSchema.safeParse(parseJsonBody(ctx, response, options));
		if (!envelope.success) {
			throw failure(
				ctx,
				{
					message: 'The API answered without the expected status field',
					description: `The answer is not a call-records response (${describeIssues(envelope.error)}). Check the Platform and Base URL in the credential.`,
				},
				options.itemIndex,
			);
		}
		const { status, reason } = envelope.data;
		if (status !== '0') {
			const info = describePlatformStatus(status, reason ?? undefined);
			const detail = {
				message: info.message,
				description: reason ? `${info.description} Provider's reason: "${reason}".` : info.description,
				code: status,
			};
			if (info.retryable) throw new TransientFailure(detail, { throttled: true });
			if (info.retryOnce) throw new TransientFailure(detail, { maxRetries: 1 });
			throw failure(ctx, detail, options.itemIndex);
		}
		const data = pageDataSchema.safeParse(envelope.data.data);
		if (!data.success) {
			throw failure(
				ctx,
				{
					message: 'The API answered success but the page is malformed',
					description: `Expected data.total, data.pages and data.records (${describeIssues(data.error)}). The provider may have changed its format.`,
				},
				options.itemIndex,
			);
		}
		return data.data;
	});
}
