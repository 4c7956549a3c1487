import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { inputError } from '../transport/errors';
import { executeGetMany } from './executeGetMany';
import { EVERY_OPERATION, GET_MANY, SUMMARIZE, getManyOptions, limitFields, operationField, windowFields } from './getManyFields';
import type { Listing } from './listing';
import { executeSummarize } from './summarize/execute';
import { summarizeFields } from './summarize/fields';
import { countingRules } from './summarize/spec';
import { maxAnswerField } from './toolAnswer';
import type { ToolText } from './toolDescription';
import { getManyToolText, summarizeToolText, toolDescriptionField } from './toolDescription';

export interface ReadNodeSpec {
	listing: Listing;
	/** What a model reads about the records, for both operations' tool descriptions. */
	toolText: ToolText;
	/** The records, for the operations' actions ("number records"). */
	records: string;
	getManyDescription: string;
	/** The endpoint's Filters collection, if it has one. */
	filters?: (show: Record<string, string[]>) => INodeProperties;
	/** Options only Get Many has (Download Recordings), and options both operations have. */
	getManyOptions?: INodeProperties[];
	sharedOptions?: INodeProperties[];
	/** A limit of the API the user meets before choosing a window, shown at the top. */
	notice?: string;
}

/** The fields of a record node: Operation, the window, then each operation's own fields, the filters, the options. */
export function readNodeProperties(spec: ReadNodeSpec): INodeProperties[] {
	const shared = spec.sharedOptions ?? [];
	const [groupBy, summarizeOptions] = summarizeFields(spec.listing, SUMMARIZE, shared);
	return [
		...(spec.notice ? [{ displayName: spec.notice, name: 'notice', type: 'notice' as const, default: '' }] : []),
		operationField(spec.records, spec.getManyDescription, countingRules(spec.listing.summary)),
		toolDescriptionField(GET_MANY, getManyToolText(spec.toolText)),
		toolDescriptionField(SUMMARIZE, summarizeToolText(spec.listing, spec.toolText)),
		...windowFields(EVERY_OPERATION),
		...limitFields(GET_MANY),
		maxAnswerField(EVERY_OPERATION),
		groupBy,
		...(spec.filters ? [spec.filters(EVERY_OPERATION)] : []),
		getManyOptions(GET_MANY, [...(spec.getManyOptions ?? []), ...shared]),
		summarizeOptions,
	];
}

/** A record node's whole `execute`: the chosen operation over every input item. */
export async function executeReadNode(ctx: IExecuteFunctions, listing: Listing): Promise<INodeExecutionData[][]> {
	const operation = ctx.getNodeParameter('operation', 0, 'getMany');
	if (operation === 'getMany') return await executeGetMany(ctx, listing);
	if (operation === 'summarize') return await executeSummarize(ctx, listing);
	throw inputError(ctx, `Operation "${String(operation)}" is not an operation of ${listing.name}`, 'Choose Get Many or Summarize.');
}
