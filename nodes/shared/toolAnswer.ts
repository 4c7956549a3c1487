import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { RequestContext } from '../transport/http';
import { checkNumber } from './parameterValues';
import { ZoneClock } from '../transport/time';
import type { Listing } from './listing';

/**
 * What a node answers when an AI agent or an MCP client calls it as a tool: one object that says
 * whether it holds every record of the window, and the records that fit a size a model's context
 * can take. Outside a tool the node's items are untouched.
 */

/**
 * Whether the node runs as a tool. n8n runs a usableAsTool node as its generated `<name>Tool`
 * type (the same test its '@tool' display option makes), in an agent's tool call and in the
 * MCP Server Trigger alike.
 */
export function runsAsTool(ctx: RequestContext): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/**
 * 20,000 characters is about 5,000 tokens: some 20 call-center or 40 number records, enough to
 * read examples, small enough that several calls fit a 32k-token context beside the
 * conversation. Counting calls is Summarize's job, not a longer answer's.
 */
export const DEFAULT_MAX_ANSWER_CHARACTERS = 20_000;
export const MIN_MAX_ANSWER_CHARACTERS = 1_000;

/** The tool-only field (n8n shows a '@tool' field only in the tool variant). */
export function maxAnswerField(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Max Response Size (Characters)',
		name: 'maxAnswerCharacters',
		type: 'number',
		typeOptions: { minValue: MIN_MAX_ANSWER_CHARACTERS },
		default: DEFAULT_MAX_ANSWER_CHARACTERS,
		description:
			'The most characters the tool hands the model (about 4 per token). Whole records are left out past it, and the response says how many records the window holds and how to get the rest.',
		displayOptions: { show: { ...show, '@tool': [true] } },
	};
}

/** Max Response Size (Characters) of a tool run, checked. */
export function readMaxAnswerCharacters(ctx: RequestContext & { getNodeParameter: (name: string, itemIndex: number, fallback: unknown) => unknown }, itemIndex: number): number {
	return checkNumber(
		ctx,
		ctx.getNodeParameter('maxAnswerCharacters', itemIndex, DEFAULT_MAX_ANSWER_CHARACTERS),
		{ label: 'Max Response Size (Characters)', min: MIN_MAX_ANSWER_CHARACTERS, whole: true, fix: `${DEFAULT_MAX_ANSWER_CHARACTERS} suits most models.` },
		itemIndex,
	);
}

export interface AnswerFacts {
	listing: Listing;
	startMs: number;
	endMs: number;
	timeZone: string;
	/** Undefined: Return All. */
	limit?: number;
	/** How many records the window holds, as the API counted them; undefined when it gives no count. */
	total?: number;
	maxCharacters: number;
}

/**
 * The tool's answer: the window, the counts, a note saying what is missing and how to get it,
 * and as many whole records (in the listing's order) as keep the answer's JSON within the cap.
 */
export function toolAnswer(records: IDataObject[], facts: AnswerFacts): IDataObject {
	const clock = new ZoneClock(facts.timeZone);
	const window = { start: clock.toIso(facts.startMs), end: clock.toIso(facts.endMs) };
	const read = records.length;
	// Return All read the whole window; a Limit that was not reached did too.
	const total = facts.limit === undefined || read < facts.limit ? read : facts.total;
	const build = (kept: number): IDataObject => {
		const complete = total !== undefined && kept === total;
		return {
			complete,
			recordsInWindow: total ?? null,
			returned: kept,
			note: note(facts, total, read, kept, records[kept - 1]),
			window,
			records: records.slice(0, kept),
		};
	};
	let kept = fitting(records, JSON.stringify(build(0)).length, facts.maxCharacters);
	let answer = build(kept);
	// The note's numbers may have grown by a few characters: drop records until it fits.
	while (kept > 0 && JSON.stringify(answer).length > facts.maxCharacters) answer = build(--kept);
	return answer;
}

/**
 * A Summarize tool's answer: the single-item summary (window, totals, groups most calls first)
 * with as many groups as keep it within the cap; the totals always cover the whole window.
 */
export function summaryToolAnswer(summary: IDataObject & { groups: IDataObject[] }, maxCharacters: number): IDataObject {
	const { groups } = summary;
	const build = (kept: number): IDataObject => ({
		complete: kept === groups.length,
		...summary,
		groupsReturned: kept,
		...(kept < groups.length
			? {
					note: `Partial groups: the ${kept} with the most calls of ${groups.length} fit the answer's size cap of ${maxCharacters} characters. The totals cover the whole window. To see the others, group by fewer or coarser dimensions, or narrow the window or the filters.`,
				}
			: {}),
		groups: groups.slice(0, kept),
	});
	let kept = fitting(groups, JSON.stringify(build(0)).length, maxCharacters);
	let answer = build(kept);
	while (kept > 0 && JSON.stringify(answer).length > maxCharacters) answer = build(--kept);
	return answer;
}

/** How many leading records fit beside an envelope of `base` characters. */
function fitting(records: IDataObject[], base: number, max: number): number {
	let size = base;
	for (let i = 0; i < records.length; i++) {
		size += JSON.stringify(records[i]).length + (i > 0 ? 1 : 0);
		if (size > max) return i;
	}
	return records.length;
}

function note(facts: AnswerFacts, total: number | undefined, read: number, kept: number, last: IDataObject | undefined): string {
	const { listing } = facts;
	const name = listing.name.toLowerCase();
	if (total !== undefined && kept === total) return `Complete: all ${total} ${name} of the window.`;
	const which = listing.newestFirst ? 'newest' : 'oldest';
	const of = total === undefined ? `; the window may hold more (this API gives no count)` : ` of the ${total} in the window`;
	const why =
		kept < read
			? `only ${kept} fit the answer's size cap of ${facts.maxCharacters} characters`
			: `the Limit of ${facts.limit} was reached`;
	const lastTime = last?.[listing.timeField];
	const next =
		typeof lastTime === 'string'
			? ` To see the rest, call again with ${listing.newestFirst ? `endTime ${lastTime}` : `startTime ${lastTime}`} (the record at that time comes again) or a narrower window.`
			: ' To see records, call again with a narrower window.';
	return `Partial: the ${kept} ${which} ${name}${of} (${why}).${next} Do not count calls from these records.`;
}

/**
 * An error as a tool hands it back: n8n's agent gives the model only an error's message, so the
 * fix (accepted values, an example) joins it there. Outside a tool the error is unchanged.
 */
export function explainedForModel(ctx: RequestContext, error: Error & { description?: string | null }): Error {
	if (!runsAsTool(ctx) || !error.description || error.message.includes(error.description)) return error;
	error.message = `${error.message.replace(/[.:]?$/, ':')} ${error.description}`;
	return error;
}
