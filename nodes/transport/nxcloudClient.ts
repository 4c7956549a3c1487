import { z } from 'zod/v4';

import type { RunCredential } from './credentialChecks';
import { credentialError, isHttpUrl, readCredential } from './credentialChecks';
import type { RawResponse, RequestContext, SendOptions } from './http';
import { TransientFailure, checkHttpStatus, failure, parseJsonBody, sendOnce, withRetries } from './http';
import { describeNxCloudCode } from './nxcloudStatus';
import type { RawRecord } from './paginate';
import { ZoneClock, isValidTimeZone } from './time';

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

const fail = (ctx: RequestContext, message: string, description: string, itemIndex: number) =>
	credentialError(ctx, 'NXCloud API', message, description, itemIndex);

export function secretRedactor(secret: string): (text: string) => string {
	const forms = [secret, encodeURIComponent(secret)].filter((s) => s.length > 0);
	return (text) => forms.reduce((out, form) => out.split(form).join('***'), text);
}

export async function getNxCloudAccount(ctx: RequestContext, itemIndex = 0): Promise<NxCloudAccount> {
	const credential = await readCredential(ctx, NXCLOUD_CREDENTIAL, itemIndex);
	const credentials = credential.data;
	if (!String(credentials.appKey ?? '').trim()) {
		throw fail(ctx, 'App Key is empty', 'Paste the app key of the flash-call application from the NXCloud console.', itemIndex);
	}
	const secret = String(credentials.appSecret ?? '');
	if (!secret.trim()) {
		throw fail(ctx, 'App Secret is empty', 'Paste the secret key of the flash-call application from the NXCloud console.', itemIndex);
	}
	const timeZone = String(credentials.timeZone ?? '').trim() || 'Asia/Shanghai';
	if (!isValidTimeZone(timeZone)) {
		throw fail(ctx, `API Time Zone "${timeZone}" is not a time zone`, 'Use an IANA name such as Asia/Shanghai or UTC.', itemIndex);
	}
	const baseUrl = (String(credentials.baseUrl ?? '').trim() || NXCLOUD_DEFAULT_BASE_URL).replace(/\/+$/, '');
	if (!isHttpUrl(baseUrl)) {
		throw fail(ctx, `Base URL "${baseUrl}" is not a valid http(s) address`, `Use ${NXCLOUD_DEFAULT_BASE_URL} unless NXCloud gave you another.`, itemIndex);
	}
	return { baseUrl, apiClock: new ZoneClock(timeZone), redact: secretRedactor(secret), credential };
}

/** Sends to the path this server knows; the first request tries /otp/, then /opt/ on a 404. */
async function sendToFlashCallPath(ctx: RequestContext, account: NxCloudAccount, qs: Record<string, string>, options: SendOptions): Promise<RawResponse> {
	const send = (path: string) => sendOnce(ctx, account.credential, { method: 'GET', url: account.baseUrl + path, qs }, options);
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

const isRecord = (value: unknown): value is RawRecord => typeof value === 'object' && value !== null && !Array.isArray(value);
const answerSchema = z.object({
	code: z.union([z.string(), z.number()]).transform(String),
	cdrs: z.array(z.custom<RawRecord>(isRecord, { message: 'each row must be an object' })).nullish(),
});

/** One call of the flash-call list: up to 100 rows from `start` (inclusive) on, oldest first. */
export async function queryFlashCalls(
	ctx: RequestContext,
	account: NxCloudAccount,
	start: string,
	end: string,
	options: SendOptions,
): Promise<RawRecord[]> {
	const send = { ...options, redact: account.redact };
	return await withRetries(ctx, send, async () => {
		const response = await sendToFlashCallPath(ctx, account, { start, end }, send);
		checkHttpStatus(ctx, response, send);
		const answer = answerSchema.safeParse(parseJsonBody(ctx, response, send));
		if (!answer.success) {
			throw failure(
				ctx,
				{
					message: 'NXCloud answered without the expected "code" and "cdrs"',
					description: 'The answer is not a flash-call list. Check the Base URL in the NXCloud API credential.',
				},
				options.itemIndex,
			);
		}
		const { code, cdrs } = answer.data;
		if (code !== '0') {
			const info = describeNxCloudCode(code);
			const detail = { message: info.message, description: info.description, code };
			if (info.retryable) throw new TransientFailure(detail, { throttled: true });
			throw failure(ctx, detail, options.itemIndex);
		}
		return cdrs ?? [];
	});
}
