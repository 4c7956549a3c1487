import type { INodeProperties } from 'n8n-workflow';

import { MAX_PARALLEL_OPTION, TIMEOUT_OPTION } from '../getManyFields';
import type { Listing } from '../listing';
import type { DimensionId } from './spec';
import { DIMENSION_NAMES, countingRules } from './spec';

export const MAX_GROUP_BY = 2;

export const OUTPUT_MODES = ['perGroup', 'single'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];

/** The dimensions a listing's records have, in the editor's order. */
export function dimensionsOf(listing: Listing): DimensionId[] {
	return (Object.keys(DIMENSION_NAMES) as DimensionId[]).filter((id) => listing.summary.dimensions[id]);
}

/** Group By and the Options of Summarize; `extra` adds endpoint-specific options. */
export function summarizeFields(listing: Listing, show: Record<string, string[]>, extra: INodeProperties[] = []): INodeProperties[] {
	const displayOptions = { show };
	return [
		{
			displayName: 'Group By',
			name: 'groupBy',
			type: 'multiOptions',
			options: dimensionsOf(listing).map((id) => ({ name: DIMENSION_NAMES[id], value: id, description: listing.summary.dimensions[id]!.description })),
			default: [],
			description: `None (the window's totals only) or up to ${MAX_GROUP_BY} dimensions. Each group gets ${listing.summary.figuresText}. ${countingRules(listing.summary)}.`,
			displayOptions,
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			displayOptions,
			options: [
				MAX_PARALLEL_OPTION,
				{
					displayName: 'Output',
					name: 'output',
					type: 'options',
					options: [
						{ name: 'One Item per Group', value: 'perGroup', description: 'One item per group, most calls first, then one item with the totals' },
						{ name: 'Single Item', value: 'single', description: 'One item holding the totals and the groups as an array, e.g. for a Slack message or an AI agent' },
					],
					default: 'perGroup',
					description: 'How the figures come out',
				},
				TIMEOUT_OPTION,
				...extra,
			],
		},
	];
}
