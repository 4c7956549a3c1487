import type { IBinaryData, IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { DownloadPolicy } from '../transport/download';
import { downloadFile } from '../transport/download';
import { inputError } from '../transport/errors';
import type { RequestContext } from '../transport/http';
import { sendOptionsFor } from '../transport/http';
import { getPlatformAccount } from '../transport/platformApi';
import { isHttpUrl } from '../transport/runCredential';
import { settle } from '../transport/settle';
import type { Listing, ListingRead } from './listing';
import { checkBoolean, checkNumber } from './parameterValues';

/** Download Recordings, as read from the Options: undefined when it is off. */
export interface RecordingOptions {
	/** The first file's binary property; further files get `_1`, `_2`, … */
	binaryPropertyName: string;
	onMissing: 'fail' | 'continue';
	maxBytes: number;
	/** With `continue`: told of each download that failed (the trigger decides whether to hold the record back). */
	onFailure?: (item: INodeExecutionData, error: NodeApiError) => void;
}

const DEFAULT_MAX_RECORDING_MB = 200;

/** The options of a node (or trigger source) whose records point at recordings. */
export function recordingOptionFields(displayOptions?: INodeProperties['displayOptions']): INodeProperties[] {
	const shown = displayOptions ? { displayOptions } : {};
	return [
		{
			displayName: 'Download Recordings',
			name: 'downloadRecordings',
			type: 'boolean',
			default: false,
			description:
				"Whether to download each record's call recording and attach it to the item as binary data. Records without a recording pass through unchanged.",
			...shown,
		},
		{
			displayName: 'Put Recording in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'recording',
			description:
				'With Download Recordings: the binary field the recording goes in. A record with several recordings gets the others in the same name with _1, _2, … added.',
			...shown,
		},
		{
			displayName: 'On Missing Recording',
			name: 'onMissingRecording',
			type: 'options',
			options: [
				{ name: 'Fail the Run', value: 'fail', description: 'Stop with an error naming the recording' },
				{
					name: 'Continue Without the File',
					value: 'continue',
					description: 'Output the record without it, with a recordingError field saying why',
				},
			],
			default: 'fail',
			description: 'With Download Recordings: what happens when a recording cannot be downloaded after retries (HTTP 404, an expired link, too large)',
			...shown,
		},
		{
			displayName: 'Max Recording Size (MB)',
			name: 'maxRecordingSizeMb',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_RECORDING_MB,
			description: 'With Download Recordings: a larger recording counts as one that cannot be downloaded',
			...shown,
		},
	];
}

/** Reads the recording options; `prefix` is how the editor shows where they are ("Options → " in the trigger). */
export function readRecordingOptions(ctx: RequestContext, options: IDataObject, listing: Listing, prefix = '', itemIndex?: number): RecordingOptions | undefined {
	if (!checkBoolean(ctx, options.downloadRecordings ?? false, `${prefix}Download Recordings`, itemIndex)) return undefined;
	if (!listing.recordingUrls) {
		throw inputError(ctx, `${prefix}Download Recordings is not available for ${listing.name}`, 'Its records carry no recordings. Turn the option off.', itemIndex);
	}
	const binaryPropertyName = String(options.binaryPropertyName ?? 'recording').trim();
	if (!/^[A-Za-z0-9_.-]+$/.test(binaryPropertyName)) {
		throw inputError(ctx, `${prefix}Put Recording in Field "${binaryPropertyName}" is not a field name`, 'Use letters, digits, "_", "." or "-", e.g. recording.', itemIndex);
	}
	const onMissing = options.onMissingRecording ?? 'fail';
	if (onMissing !== 'fail' && onMissing !== 'continue') {
		throw inputError(ctx, `${prefix}On Missing Recording must be "fail" or "continue"`, `Got "${String(onMissing)}".`, itemIndex);
	}
	const megabytes = checkNumber(ctx, options.maxRecordingSizeMb ?? DEFAULT_MAX_RECORDING_MB, { label: `${prefix}Max Recording Size (MB)`, min: 0, above: true }, itemIndex);
	return { binaryPropertyName, onMissing, maxBytes: Math.floor(megabytes * 1_048_576) };
}

/** What downloading needs of a read: the options, and how many requests and for how long. */
export type DownloadRead = Pick<ListingRead, 'recordings' | 'concurrency' | 'timeoutMs'>;

/** One file to fetch: which record, which binary property, from where. */
interface Wanted {
	item: INodeExecutionData;
	property: string;
	url: URL;
}

/**
 * Adds each item's recordings as binary data. Every path is resolved and checked before the
 * first download; the downloads then run under one gate of the read's Max Parallel Requests,
 * with retries.
 */
export async function attachRecordings(ctx: RequestContext, itemIndex: number, listing: Listing, items: INodeExecutionData[], read: DownloadRead): Promise<void> {
	const options = read.recordings;
	if (!options || !listing.recordingUrls) return;
	const account = await getPlatformAccount(ctx, itemIndex);
	const wanted = filesOf(ctx, itemIndex, items, listing.recordingUrls, options.binaryPropertyName, account.recordingBaseUrl);
	if (wanted.length === 0) return;

	const signedOrigins = new Set([new URL(account.baseUrl).origin]);
	// An invalid Recording Base URL is refused by filesOf only when a relative path needs it; here it just signs nothing.
	if (account.signRecordingHost && isHttpUrl(account.recordingBaseUrl)) signedOrigins.add(new URL(account.recordingBaseUrl).origin);
	const policy: DownloadPolicy = { credential: account.credential, signedOrigins, maxBytes: options.maxBytes };
	const send = sendOptionsFor(read, itemIndex);
	const binaries = await send.gate.all(
		wanted.map((file) => async () => {
			if (options.onMissing === 'fail') return await downloadFile(ctx, file.url, policy, send);
			const outcome = await settle(downloadFile(ctx, file.url, policy, send));
			if (outcome.ok) return outcome.value;
			// Only a failed download is passed over; a cancelled run or a bug still stops it.
			if (!(outcome.error instanceof NodeApiError)) throw outcome.error;
			options.onFailure?.(file.item, outcome.error);
			const { json } = file.item;
			json.recordingError = json.recordingError ? `${String(json.recordingError)}; ${outcome.error.message}` : outcome.error.message;
			return undefined;
		}),
	);
	binaries.forEach((binary: IBinaryData | undefined, i) => {
		if (!binary) return;
		const { item, property } = wanted[i];
		item.binary = { ...item.binary, [property]: binary };
	});
}

/** Each item's recording URLs, resolved; a relative path without a Recording Base URL fails here, before any download. */
function filesOf(
	ctx: RequestContext,
	itemIndex: number,
	items: INodeExecutionData[],
	recordingUrls: (record: IDataObject) => string[],
	property: string,
	baseUrl: string,
): Wanted[] {
	let base: URL | undefined;
	const resolve = (path: string): URL => {
		if (isHttpUrl(path)) return new URL(path);
		if (!base) {
			if (!baseUrl) {
				throw inputError(
					ctx,
					'Call Records API credential: Recording Base URL is empty',
					`The records name their recordings by a relative path, e.g. "${path}". Set Recording Base URL in the credential to the address that serves them (ask the provider), or turn off Download Recordings.`,
					itemIndex,
				);
			}
			if (!isHttpUrl(baseUrl)) {
				throw inputError(ctx, `Call Records API credential: Recording Base URL "${baseUrl}" is not a valid http(s) address`, 'Use an address such as https://files.example.com/recordings.', itemIndex);
			}
			base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
		}
		return new URL(path.replace(/^\/+/, ''), base);
	};
	const wanted: Wanted[] = [];
	for (const item of items) {
		const urls = [...new Set(recordingUrls(item.json).map((url) => url.trim()).filter(Boolean))];
		urls.forEach((path, n) => wanted.push({ item, property: n === 0 ? property : `${property}_${n}`, url: resolve(path) }));
	}
	return wanted;
}

