import { z } from 'zod/v4';

import type { ApiEnvelope } from './apiCall';
import { callApi } from './apiCall';
import type { RunCredential } from './runCredential';
import { isHttpUrl, readCredential } from './runCredential';
import { inputError } from './errors';
import type { RawResponse, RequestContext, SendOptions } from './http';
import { sendOnce } from './http';
import { describeNxCloudCode } from './nxcloudStatus';
import type { RawRecord } from './paginate';
import { isRawRecord } from './paginate';
import { ZoneClock, isValidTimeZone } from './time';

/** NXCloud's flash-call list: GETs with the app key and secret in the query (the credential adds them). */

export const NXCLOUD_CREDENTIAL = 'nxCloudApi';
export const NXCLOUD_DEFAULT_BASE_URL = 'http://api2.nxcloud.com';

/**
 * The documents spell the path both ways: every example URL uses /otp/ (the headings' /opt/
 * looks like a typo), so /otp/ is tried first and /opt/ only if the server does not know it.
 */
export const FLASH_CALL_PATHS = ['/otp/call/list', '/opt/call/list'] as const;

export const FLASH_CALL_PAGE_SIZE = 100;

export interface NxCloudAccount {
	baseUrl: string;
	/** The zone of the API's `yyyy-MM-dd HH:mm:ss` times. */
	apiClock: ZoneClock;
	/** Replaces the app secret (and its URL-encoded form) in any text bound for the user. */
	redact: (text: string) => string;
	credential: RunCredential;
	/** The one of FLASH_CALL_PATHS this server answers, once a request has found it. */
	path?: string;
	/** Set while a request is finding the path; the others wait for it instead of guessing too. */
	probing?: Promise<void>;
}

const IN_CREDENTIAL = 'NXCloud API credential:';

export function secretRedactor(secret: string): (text: string) => string {
	const forms = [secret, encodeURIComponent(secret)].filter((s) => s.length > 0);
	return (text) => forms.reduce((out, form) => out.split(form).join('***'), text);
}

/** Reads and checks the credential before any request is sent. */
export async function getNxCloudAccount(ctx: RequestContext, itemIndex = 0): Promise<NxCloudAccount> {
	const credential = await readCredential(ctx, NXCLOUD_CREDENTIAL, itemIndex);
	const fields = credential.data;
	if (!String(fields.appKey ?? '').trim()) {
		throw inputError(ctx, `${IN_CREDENTIAL} App Key is empty`, 'Paste the app key of the flash-call application from the NXCloud console.', itemIndex);
	}
	const secret = String(fields.appSecret ?? '');
	if (!secret.trim()) {
		throw inputError(ctx, `${IN_CREDENTIAL} App Secret is empty`, 'Paste the secret key of the flash-call application from the NXCloud console.', itemIndex);
	}
	const timeZone = String(fields.timeZone ?? '').trim() || 'Asia/Shanghai';
	if (!isValidTimeZone(timeZone)) {
		throw inputError(ctx, `${IN_CREDENTIAL} API Time Zone "${timeZone}" is not a time zone`, 'Use an IANA name such as Asia/Shanghai or UTC.', itemIndex);
	}
	const baseUrl = (String(fields.baseUrl ?? '').trim() || NXCLOUD_DEFAULT_BASE_URL).replace(/\/+$/, '');
	if (!isHttpUrl(baseUrl)) {
		throw inputError(
			ctx,
			`${IN_CREDENTIAL} Base URL "${baseUrl}" is not a valid http(s) address`,
			`Use ${NXCLOUD_DEFAULT_BASE_URL} unless NXCloud gave you another.`,
			itemIndex,
		);
	}
	return { baseUrl, apiClock: new ZoneClock(timeZone), redact: secretRedactor(secret), credential };
}

/** Sends to the path this server knows; the first request tries /otp/, then /opt/ on a 404. */
async function sendToFlashCallPath(ctx: RequestContext, account: NxCloudAccount, qs: Record<string, string>, options: SendOptions): Promise<RawResponse> {
	const send = async (path: string) => await sendOnce(ctx, account.credential, { method: 'GET', url: account.baseUrl + path, qs }, options);
	while (account.path === undefined && account.probing) await account.probing;
	if (account.path !== undefined) return await send(account.path);
	let done!: () => void;
	account.probing = new Promise<void>((resolve) => (done = resolve));
	try {
		let response: RawResponse | undefined;
		for (const path of FLASH_CALL_PATHS) {
			response = await send(path);
			if (response.statusCode !== 404) {
				account.path = path;
				break;
			}
		}
		return response!;
	} finally {
		account.probing = undefined;
		done();
	}
}

/** `{ code, cdrs }`: code "0" with the rows (absent when there are none), or a failure code. */
const FLASH_CALL_ENVELOPE: ApiEnvelope<RawRecord[]> = {
	frame: z
		.object({ code: z.union([z.string(), z.number()]).transform(String), cdrs: z.unknown() })
		.transform(({ code, cdrs }) => ({ code, payload: cdrs ?? [] })),
	successCode: '0',
	notAnAnswer: (issues) => ({
		message: 'NXCloud answered without the expected "code" and "cdrs"',
		description: `The answer is not a flash-call list (${issues}). Check the Base URL in the NXCloud API credential.`,
	}),
	describeStatus: describeNxCloudCode,
	payload: z.array(z.custom<RawRecord>(isRawRecord, { message: 'each row must be an object' })),
	badPayload: (issues) => ({
		message: 'NXCloud answered success but the list is malformed',
		description: `Expected "cdrs" to be a list of rows (${issues}). NXCloud may have changed its format.`,
	}),
};

/** One call of the flash-call list: up to 100 rows from `start` (inclusive) on, oldest first. */
export async function queryFlashCalls(
	ctx: RequestContext,
	account: NxCloudAccount,
	start: string,
	end: string,
	options: SendOptions,
): Promise<RawRecord[]> {
	const send = { ...options, redact: account.redact };
	return await callApi(ctx, async () => await sendToFlashCallPath(ctx, account, { start, end }, send), FLASH_CALL_ENVELOPE, send);
}
