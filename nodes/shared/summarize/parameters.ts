import type { IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../../transport/errors';
import { readFiltersAndRequests, readTimeZoneAndOptions, readWindow } from '../getManyParameters';
import type { Listing, ListingRead } from '../listing';
import { commaList } from '../parameterValues';
import type { SummaryPlan } from './fold';
import type { OutputMode } from './fields';
import { MAX_GROUP_BY, OUTPUT_MODES, dimensionsOf } from './fields';
import type { DimensionId } from './spec';
import { DIMENSION_NAMES } from './spec';

export interface SummarizeParameters {
	read: ListingRead;
	plan: SummaryPlan;
	output: OutputMode;
}

/**
 * Reads and checks one input item's Summarize parameters, in the order the editor shows them:
 * the window, Group By, the filters, the options. Nothing is sent before this passes.
 */
export function readSummarizeParameters(ctx: IExecuteFunctions, itemIndex: number, listing: Listing): SummarizeParameters {
	const { timeZone, options } = readTimeZoneAndOptions(ctx, itemIndex);
	const window = readWindow(ctx, itemIndex, listing, timeZone, options.clampToAvailableRange === true);
	const groupBy = readGroupBy(ctx, itemIndex, listing);
	const requests = readFiltersAndRequests(ctx, itemIndex, listing, options);
	const output = options.output ?? 'perGroup';
	if (!OUTPUT_MODES.includes(output as OutputMode)) {
		throw inputError(ctx, `Options → Output "${String(output)}" is not an output`, 'Use "perGroup" (One Item per Group) or "single" (Single Item).', itemIndex);
	}
	return {
		read: { ...window, ...requests, timeZone, rawOutput: false },
		plan: { spec: listing.summary, timeField: listing.timeField, groupBy },
		output: output as OutputMode,
	};
}

/** Group By: none, or up to two of the listing's dimensions, each once. */
function readGroupBy(ctx: IExecuteFunctions, itemIndex: number, listing: Listing): DimensionId[] {
	const accepted = dimensionsOf(listing);
	const acceptedText = accepted.map((id) => `${id} (${DIMENSION_NAMES[id]})`).join(', ');
	const value = ctx.getNodeParameter('groupBy', itemIndex, []) as unknown;
	const entries = commaList(value);
	if (entries === undefined) {
		throw inputError(ctx, 'Group By must be a list of dimensions', `Got ${JSON.stringify(value)}. Use up to ${MAX_GROUP_BY} of: ${acceptedText}.`, itemIndex);
	}
	// A model may write a dimension's name as the editor shows it ("Hang-Up Reason") or in other case.
	const plain = (text: string) => text.toLowerCase().replace(/[^a-z]/g, '');
	const list = entries.map((entry) => accepted.find((id) => id === entry || plain(id) === plain(entry) || plain(DIMENSION_NAMES[id]) === plain(entry)) ?? entry);
	for (const id of list) {
		if (!accepted.includes(id as DimensionId)) {
			throw inputError(ctx, `Group By "${id}" is not a dimension of ${listing.name}`, `Use up to ${MAX_GROUP_BY} of: ${acceptedText}.`, itemIndex);
		}
	}
	if (new Set(list).size < list.length) {
		throw inputError(ctx, 'Group By names a dimension twice', `Got ${list.join(', ')}. Name each once, up to ${MAX_GROUP_BY} of: ${acceptedText}.`, itemIndex);
	}
	if (list.length > MAX_GROUP_BY) {
		throw inputError(ctx, `Group By has ${list.length} dimensions; at most ${MAX_GROUP_BY} are allowed`, `Got ${list.join(', ')}. Keep up to ${MAX_GROUP_BY} of: ${acceptedText}.`, itemIndex);
	}
	return list as DimensionId[];
}
