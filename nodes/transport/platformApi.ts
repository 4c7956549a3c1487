import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod/v4';

import type { ApiEnvelope } from './apiCall';
import { callApi } from './apiCall';
import type { RunCredential } from './runCredential';
import { isHttpUrl, readCredential } from './runCredential';
import { inputError } from './errors';
import type { RequestContext, SendOptions } from './http';
import { sendOnce } from './http';
import type { Page, RawRecord } from './paginate';
import { isRawRecord } from './paginate';
import type { PathStyle, PlatformEndpoint, PlatformId } from './platforms';
import { ENDPOINT_PATHS, PLATFORMS } from './platforms';
import { describePlatformStatus } from './platformStatus';
import { ZoneClock, isValidTimeZone } from './time';

/** The ITNIO Tech / Laaffic API: signed POSTs (the credential's `authenticate` signs each one). */

export const CALL_RECORDS_CREDENTIAL = 'callRecordsApi';

/** What a node needs to know about the account behind a Call Records API credential. */
export interface PlatformAccount {
	baseUrl: string;
	pathStyle: PathStyle;
	/** The time zone the API's offset-less times are written in. */
	accountClock: ZoneClock;
	credential: RunCredential;
	/** Recording Base URL as entered (checked only by a read that downloads), and whether its host gets the headers. */
	recordingBaseUrl: string;
	signRecordingHost: boolean;
	/** Whether recordings may come from localhost and private networks (see recordingHosts.ts). */
	allowPrivateRecordingHosts: boolean;
}

const IN_CREDENTIAL = 'Call Records API credential:';

/** Reads and checks the credential before any request is sent. */
export async function getPlatformAccount(ctx: RequestContext, itemIndex = 0): Promise<PlatformAccount> {
	const credential = await readCredential(ctx, CALL_RECORDS_CREDENTIAL, itemIndex);
	const fields = credential.data;
	if (!String(fields.apiKey ?? '').trim()) {
		throw inputError(ctx, `${IN_CREDENTIAL} API Key is empty`, "Open the credential and paste the API key from the provider's console.", itemIndex);
	}
	if (!String(fields.apiSecret ?? '').trim()) {
		throw inputError(ctx, `${IN_CREDENTIAL} API Secret is empty`, "Open the credential and paste the API secret from the provider's console.", itemIndex);
	}
	const timeZone = String(fields.timeZone ?? 'UTC').trim() || 'UTC';
	if (!isValidTimeZone(timeZone)) {
		throw inputError(
			ctx,
			`${IN_CREDENTIAL} Account Time Zone "${timeZone}" is not a time zone`,
			'Use an IANA time zone name such as UTC, Asia/Shanghai or Europe/Berlin.',
			itemIndex,
		);
	}
	const recordingHost = {
		recordingBaseUrl: String(fields.recordingBaseUrl ?? '').trim(),
		signRecordingHost: fields.signRecordingHost === true,
		allowPrivateRecordingHosts: fields.allowPrivateRecordingHosts === true,
	};
	const platform = String(fields.platform ?? 'itnio') as PlatformId;
	if (platform !== 'custom') {
		const known = PLATFORMS[platform];
		if (!known) throw inputError(ctx, `${IN_CREDENTIAL} unknown Platform "${platform}"`, 'Choose ITNIO Tech, Laaffic or Custom.', itemIndex);
		return { baseUrl: known.baseUrl, pathStyle: known.pathStyle, accountClock: new ZoneClock(timeZone), credential, ...recordingHost };
	}
	const baseUrl = String(fields.baseUrl ?? '').trim().replace(/\/+$/, '');
	if (!isHttpUrl(baseUrl)) {
		throw inputError(
			ctx,
			`${IN_CREDENTIAL} ${baseUrl ? `Base URL "${baseUrl}" is not a valid http(s) address` : 'Base URL is empty'}`,
			'With Platform "Custom", set Base URL to the API root, for example https://api.onbuka.com.',
			itemIndex,
		);
	}
	const pathStyle: PathStyle = fields.pathStyle === 'legacy' ? 'legacy' : 'v3';
	return { baseUrl, pathStyle, accountClock: new ZoneClock(timeZone), credential, ...recordingHost };
}

/** `{ status, reason, data }`; status is a string on some endpoints and a number on others. */
export const envelopeSchema = z.object({
	status: z.union([z.string(), z.number()]).transform(String),
	reason: z.string().nullish(),
	data: z.unknown(),
});
const count = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().nonnegative());
export const pageDataSchema = z.object({
	total: count,
	pages: count,
	records: z.array(z.custom<RawRecord>(isRawRecord, { message: 'each record must be an object' })),
});

const PLATFORM_ENVELOPE: ApiEnvelope<Page<RawRecord>> = {
	frame: envelopeSchema.transform(({ status, reason, data }) => ({ code: status, reason: reason ?? undefined, payload: data })),
	successCode: '0',
	notAnAnswer: (issues) => ({
		message: 'The API answered without the expected status field',
		description: `The answer is not a call-records response (${issues}). Check the Platform and Base URL in the credential.`,
	}),
	describeStatus: describePlatformStatus,
	payload: pageDataSchema,
	badPayload: (issues) => ({
		message: 'The API answered success but the page is malformed',
		description: `Expected data.total, data.pages and data.records (${issues}). The provider may have changed its format.`,
	}),
};

/** Reads one page of a signed platform endpoint, with retries, and checks its envelope. */
export async function queryPlatformPage(
	ctx: RequestContext,
	account: PlatformAccount,
	endpoint: PlatformEndpoint,
	body: IDataObject,
	options: SendOptions,
): Promise<Page<RawRecord>> {
	const request = {
		method: 'POST' as const,
		url: account.baseUrl + ENDPOINT_PATHS[account.pathStyle][endpoint],
		body,
		headers: { 'Content-Type': 'application/json;charset=UTF-8' },
	};
	return await callApi(ctx, async () => await sendOnce(ctx, account.credential, request, options), PLATFORM_ENVELOPE, options);
}
