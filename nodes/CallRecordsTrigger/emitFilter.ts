import type { IDataObject, INodeProperties, IPollFunctions } from 'n8n-workflow';

import type { Listing } from '../shared/listing';
import { commaList, explainCodeList, readCodeList } from '../shared/parameterValues';
import { inputError } from '../transport/errors';

const REASONS = 'Options → Only Hang-Up Reasons';
const SIP_CODES = 'Options → Only SIP Codes';

/**
 * Options → Only Hang-Up Reasons. From version 1.1 it is shown only for the sources whose reason
 * is free text; Call Center Records' coded reasons are filtered by Filters → Hang-Up Reasons.
 * Version 1 keeps it for every source, so that a workflow saved with it keeps its value (n8n
 * drops a hidden parameter's value, which would emit every record).
 */
export function onlyHangupReasonsFields(): INodeProperties[] {
	const field = { displayName: 'Only Hang-Up Reasons', name: 'onlyHangupReasons', type: 'string' as const, default: '' };
	const contains = 'Comma-separated texts; a record is emitted when its';
	return [
		{
			...field,
			placeholder: 'busy, 4',
			description:
				'Comma-separated hang-up reasons; only matching records are emitted. Call Center Records: codes or labels (or a part of one), as in Filters → Hang-Up Reasons. Other sources: a part of the text, case-blind.',
			displayOptions: { show: { '@version': [1] } },
		},
		{
			...field,
			// The number-records documents give no example value of hangupReason, so no placeholder.
			description: `${contains} hangupReason contains one, case-blind. The API documents no list of reasons: copy one from a record.`,
			displayOptions: { show: { '@version': [1.1], '/source': ['numberRecords'] } },
		},
		{
			...field,
			// The voice document's sample: "terminationReason": "success".
			placeholder: 'success',
			description: `${contains} terminationReason or SIP phrase (terminationLabel) contains one, case-blind`,
			displayOptions: { show: { '@version': [1.1], '/source': ['voiceRecords'] } },
		},
	];
}

/**
 * Which new records are emitted: Only SIP Codes and Only Hang-Up Reasons, each matched as the
 * node's Filters match. Coded reasons (Call Center Records) are read like Filters → Hang-Up
 * Reasons: a code, a label or a part of one, and an entry that names no code is an error listing
 * them. Free-text reasons match when the record's text contains the entry, case-blind.
 */
export function emitFilter(ctx: IPollFunctions, listing: Listing, options: IDataObject): (record: IDataObject) => boolean {
	const list = (name: string, label: string) => {
		const entries = commaList(options[name]);
		if (entries === undefined) throw inputError(ctx, `${label} must be a comma-separated list`, `Got ${JSON.stringify(options[name])}.`);
		return entries;
	};
	const sipCodes = list('onlySipCodes', SIP_CODES);
	const reasons = list('onlyHangupReasons', REASONS);
	if ((sipCodes.length > 0 && listing.sipFields.length === 0) || (reasons.length > 0 && listing.reasonFields.length === 0)) {
		throw inputError(ctx, `Only SIP Codes and Only Hang-Up Reasons are not available for ${listing.name}`, 'Its records carry neither. Remove these options.');
	}
	const badCode = sipCodes.find((code) => !/^\d+$/.test(code));
	if (badCode !== undefined) {
		throw inputError(ctx, `${SIP_CODES} has an invalid value`, `"${badCode}" is not a SIP code. Use numbers, e.g. "486, 480".`);
	}
	const sipMatch = (record: IDataObject) => sipCodes.length === 0 || listing.sipFields.some((field) => sipCodes.includes(String(record[field] ?? '').trim()));
	const reasonMatch = reasons.length === 0 ? () => true : listing.reasonCodes ? codedReasons(ctx, listing, options.onlyHangupReasons) : textReasons(listing, reasons);
	return (record) => sipMatch(record) && reasonMatch(record);
}

function codedReasons(ctx: IPollFunctions, listing: Listing, value: unknown): (record: IDataObject) => boolean {
	const codes = listing.reasonCodes!;
	// Former labels may hold a comma ("transfer ringing, hung up"): each becomes its code before the list is split.
	let text = value;
	if (typeof value === 'string') {
		let renamed = value;
		for (const [former, code] of Object.entries(listing.reasonAliases ?? {})) renamed = renamed.replace(new RegExp(escapeRegExp(former), 'gi'), code);
		text = renamed;
	}
	const read = readCodeList(text, codes);
	if (!Array.isArray(read)) {
		throw inputError(ctx, `${REASONS} has an invalid value`, `${explainCodeList(read, codes)} Filters → Hang-Up Reasons lists them to pick from.`);
	}
	const wanted = read.map(String);
	return (record) => listing.reasonFields.some((field) => wanted.includes(String(record[field] ?? '').trim()));
}

function textReasons(listing: Listing, reasons: string[]): (record: IDataObject) => boolean {
	const wanted = reasons.map((reason) => reason.toLowerCase());
	return (record) => listing.reasonFields.some((field) => wanted.some((reason) => String(record[field] ?? '').toLowerCase().includes(reason)));
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
