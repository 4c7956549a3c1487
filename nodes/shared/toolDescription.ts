import type { INodeProperties } from 'n8n-workflow';

import type { Listing } from './listing';
import { MAX_GROUP_BY, dimensionsOf } from './summarize/fields';
import { DIMENSION_NAMES } from './summarize/spec';

/**
 * What a model reads about a node used as a tool: its only manual. n8n takes a tool's description
 * from a `toolDescription` parameter when the node has one (and then adds none of its own), so each
 * node gives one, shown only in the tool variant and editable there. The node's own `description`
 * stays the short line of the node creator.
 */

/** The window as every Get Many tool takes it. */
const WINDOW =
	'Give startTime and endTime as ISO 8601, e.g. 2024-05-01T00:00:00Z or 2024-05-01T08:00:00+08:00; without an offset (2024-05-01T00:00:00 or 2024-05-01) a time is read in the workflow\'s time zone.';

/** How the answer is shaped, for every Get Many tool. */
const ANSWER =
	'The answer is JSON: complete (true when every record of the window is included), recordsInWindow (how many the window holds), returned, a note saying how to get the rest, and records. Answers are capped in size: for how many calls use recordsInWindow, never the length of records, and for answered calls, rates, durations or costs, per agent, reason, day or the like, use the Summarize tool of these records when one is offered.';

export interface ToolText {
	/** What the records are, and what a record holds. */
	what: string;
	/** The window's limits. */
	limits: string;
	/** Filters a model may set, if any. */
	filters?: string;
}

/** The text a model reads for a Get Many tool. */
export function getManyToolText(text: ToolText): string {
	return [text.what, WINDOW, text.limits, text.filters, ANSWER].filter(Boolean).join(' ');
}

/** The text a model reads for a Summarize tool: the figures, the dimensions it may group by, the same window and filters. */
export function summarizeToolText(listing: Listing, text: ToolText): string {
	const { summary } = listing;
	const figures = [
		'calls',
		summary.answered && `answered (${summary.answered.rule})`,
		summary.answered &&
			(summary.direction
				? 'per direction (outgoingCalls, outgoingAnswered, outgoingAsr, outgoingAcd and the same for incoming; ASR is answered / calls, a fraction, ACD the average seconds of an answered call), and asrAllDirections and acdAllDirections over both'
				: 'asr (answered / calls, a fraction)'),
		summary.answered && !summary.direction && 'acd (average seconds of an answered call)',
		summary.rang && `rang (${summary.rang.rule}; no ASR or ACD, as a flash call is dropped before it is answered)`,
		summary.duration && 'total duration',
		summary.chargedDuration && 'charged duration',
		summary.cost && 'cost per currency (each amount under the currency the API documents for it; "unspecified" where it names none)',
		summary.ringTime && 'average ring time with ringTimeCalls (the calls it covers)',
		summary.postDialDelay && 'average post-dial delay from submission to ringing with postDialDelayCalls',
		'first and last call time',
	].filter(Boolean);
	const dimensions = dimensionsOf(listing).map((id) => `${id} (${DIMENSION_NAMES[id]})`);
	return [
		`Counts the ${listing.name.toLowerCase()} of a time window and computes their KPIs, without returning records: ${figures.join(', ')}.`,
		`groupBy: none (the window's totals) or up to ${MAX_GROUP_BY} of ${dimensions.join(', ')}, comma-separated, e.g. "${dimensions.length > 1 ? `${dimensionsOf(listing)[0]}, ${dimensionsOf(listing)[1]}` : dimensionsOf(listing)[0]}".`,
		'Use this tool, not Get Many, for how many, how long and how much questions: it reads every record of the window whatever its size.',
		WINDOW,
		text.limits,
		text.filters,
		'The answer is JSON: the window, totals, groupCount and groups (most calls first, each with its key, label and figures); when the groups exceed the size cap the answer says so and keeps the largest.',
	]
		.filter(Boolean)
		.join(' ');
}

/** The tool-only Description field, for the operations in `show`. */
export function toolDescriptionField(show: Record<string, string[]>, text: string): INodeProperties {
	return {
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		default: text,
		required: true,
		typeOptions: { rows: 6 },
		description: 'What the model reads about this tool: when to call it, what to send, what comes back',
		displayOptions: { show: { ...show, '@tool': [true] } },
	};
}
