import type { IBinaryData, IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { DownloadPolicy } from '../transport/download';
import { downloadFile, parseUrl } from '../transport/download';
import { apiError, inputError } from '../transport/errors';
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
	/** The whole download of one file, however the host trickles it. */
	deadlineMs: number;
	/** With `continue`: told of each download that failed (the trigger decides whether to hold the record back). */
	onFailure?: (item: INodeExecutionData, error: NodeApiError) => void;
}

const DEFAULT_MAX_RECORDING_MB = 200;
const DEFAULT_MAX_DOWNLOAD_SECONDS = 600;

/** A record field that holds one recording URL or path: none when it is empty. */
export function recordingField(value: unknown): unknown[] {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') ? [] : [value];
}

/** The options of a node (or trigger source) whose records point at recordings. */
export function recordingOptionFields(displayOptions?: INodeProperties['displayOptions']): INodeProperties[] {
	const shown = displayOptions ? { displayOptions } : {};
	// The sub-options appear once Download Recordings is on (a sibling in the same Options collection).
	const whenOn = { displayOptions: { ...displayOptions, show: { ...displayOptions?.show, downloadRecordings: [true] } } };
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
				'The binary field the recording goes in. A record with several recordings gets the others in the same name with _1, _2, … added.',
			...whenOn,
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
			description: 'What happens when a recording cannot be downloaded after retries (HTTP 404, an expired link, too large)',
			...whenOn,
		},
		{
			displayName: 'Max Recording Size (MB)',
			name: 'maxRecordingSizeMb',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_RECORDING_MB,
			description: 'A larger recording counts as one that cannot be downloaded',
			...whenOn,
		},
		{
			displayName: 'Max Download Time per Recording (Seconds)',
			name: 'maxDownloadSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_DOWNLOAD_SECONDS,
			description:
				'How long one file may take in all, retries included; a host still sending after that counts as one that cannot be downloaded. Timeout bounds each silence, this the whole file.',
			...whenOn,
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
	const deadlineSeconds = checkNumber(ctx, options.maxDownloadSeconds ?? DEFAULT_MAX_DOWNLOAD_SECONDS, { label: `${prefix}Max Download Time per Recording (Seconds)`, min: 0, above: true }, itemIndex);
	return { binaryPropertyName, onMissing, maxBytes: Math.floor(megabytes * 1_048_576), deadlineMs: Math.round(deadlineSeconds * 1000) };
}

/** What downloading needs of a read: the options, and how many requests and for how long. */
export type DownloadRead = Pick<ListingRead, 'recordings' | 'concurrency' | 'timeoutMs'>;

/** One file to fetch: which record, which binary property, from where (or why it has no usable address). */
interface Wanted {
	item: INodeExecutionData;
	property: string;
	url?: URL;
	/** The URL as the record gave it, and what is wrong with it, when it is not one to fetch. */
	bad?: { shown: string; reason: string };
}

/**
 * Adds each item's recordings as binary data. Every path is resolved and checked before the
 * first download; the downloads then run under one gate of the read's Max Parallel Requests,
 * with retries. A URL that is no URL fails like a download that failed: it stops the run, or
 * with Continue Without the File becomes the record's recordingError.
 */
export async function attachRecordings(ctx: RequestContext, itemIndex: number, listing: Listing, items: INodeExecutionData[], read: DownloadRead): Promise<void> {
	const options = read.recordings;
	if (!options || !listing.recordingUrls) return;
	const account = await getPlatformAccount(ctx, itemIndex);
	const wanted = filesOf(ctx, itemIndex, items, listing.recordingUrls, options.binaryPropertyName, account.recordingBaseUrl);
	if (wanted.length === 0) return;

	const apiOrigin = new URL(account.baseUrl).origin;
	// An invalid Recording Base URL is refused by filesOf only when a relative path needs it; here it just signs and allows nothing.
	const recordingOrigin = isHttpUrl(account.recordingBaseUrl) ? new URL(account.recordingBaseUrl).origin : undefined;
	const signedOrigins = new Set([apiOrigin]);
	if (account.signRecordingHost && recordingOrigin) signedOrigins.add(recordingOrigin);
	const policy: DownloadPolicy = {
		credential: account.credential,
		signedOrigins,
		hosts: { trustedOrigins: new Set(recordingOrigin ? [apiOrigin, recordingOrigin] : [apiOrigin]), allowPrivateNetworks: account.allowPrivateRecordingHosts },
		maxBytes: options.maxBytes,
		deadlineMs: options.deadlineMs,
	};
	const send = sendOptionsFor(read, itemIndex);
	const fetchOne = async (file: Wanted): Promise<IBinaryData> => {
		if (file.url) return await downloadFile(ctx, file.url, policy, send);
		const { shown, reason } = file.bad!;
		throw apiError(
			ctx,
			{
				message: `The recording ${shown} could not be downloaded: ${reason}`,
				description: "The provider's record names its recording by an address that cannot be requested. Set Options → On Missing Recording to \"Continue Without the File\" to receive such records with a recordingError instead.",
			},
			itemIndex,
		);
	};
	const binaries = await send.gate.all(
		wanted.map((file) => async () => {
			if (options.onMissing === 'fail') return await fetchOne(file);
			const outcome = await settle(fetchOne(file));
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

/** A URL with a scheme of its own (`https:`, `ftp:`, `file:`): not a path to read against the Recording Base URL. */
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Each item's recording URLs, resolved. A relative path without a usable Recording Base URL
 * fails here, before any download (the credential needs fixing); a URL that is no URL is kept
 * as a bad file, reported like a failed download.
 */
function filesOf(
	ctx: RequestContext,
	itemIndex: number,
	items: INodeExecutionData[],
	recordingUrls: (record: IDataObject) => unknown[],
	property: string,
	baseUrl: string,
): Wanted[] {
	let base: URL | undefined;
	const baseFor = (path: string): URL => {
		if (base) return base;
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
		return base;
	};
	const resolve = (value: unknown): Pick<Wanted, 'url' | 'bad'> => {
		if (typeof value !== 'string') return { bad: { shown: `"${JSON.stringify(value) ?? String(value)}"`, reason: 'the record gives no text for it' } };
		const shown = `"${value.replace(/[?#].*$/s, '')}"`;
		if (HAS_SCHEME.test(value)) {
			const url = parseUrl(value);
			return url ? { url } : { bad: { shown, reason: 'it is not a valid URL' } };
		}
		const url = parseUrl(value.replace(/^\/+/, ''), baseFor(value));
		return url ? { url } : { bad: { shown, reason: 'it is not a valid path' } };
	};
	const wanted: Wanted[] = [];
	for (const item of items) {
		const values = recordingUrls(item.json).map((value) => (typeof value === 'string' ? value.trim() : value));
		const unique = [...new Set(values.filter((value) => value !== ''))];
		unique.forEach((value, n) => wanted.push({ item, property: n === 0 ? property : `${property}_${n}`, ...resolve(value) }));
	}
	return wanted;
}
