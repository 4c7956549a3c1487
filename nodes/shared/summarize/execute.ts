import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { ZoneClock } from '../../transport/time';
import { runPerItem } from '../executeGetMany';
import type { Listing } from '../listing';
import { foldRecords } from '../listing';
import type { OutputMode } from './fields';
import type { SummaryResult } from './fold';
import { summaryFold, summaryResult } from './fold';
import { readSummarizeParameters } from './parameters';
import { readMaxAnswerCharacters, runsAsTool, summaryToolAnswer } from '../toolAnswer';

/**
 * A Summarize operation's whole `execute`: per input item, its parameters, then the window
 * folded page by page (no item per record), then the figures as items.
 */
export async function executeSummarize(ctx: IExecuteFunctions, listing: Listing): Promise<INodeExecutionData[][]> {
	const asTool = runsAsTool(ctx);
	return await runPerItem(ctx, async (itemIndex) => {
		const { read, plan, output } = readSummarizeParameters(ctx, itemIndex, listing);
		const maxCharacters = asTool ? readMaxAnswerCharacters(ctx, itemIndex) : undefined;
		const state = await foldRecords(ctx, itemIndex, listing, read, summaryFold(plan));
		const clock = new ZoneClock(read.timeZone);
		const about = { windowStart: clock.toIso(read.startMs), windowEnd: clock.toIso(read.endMs), groupBy: plan.groupBy };
		const result = summaryResult(state, plan);
		// As a tool: one answer, the Single Item summary within the size cap (see toolAnswer.ts).
		if (maxCharacters !== undefined) {
			const [single] = summaryItems(result, about, 'single') as Array<IDataObject & { groups: IDataObject[] }>;
			return [{ json: summaryToolAnswer(single, maxCharacters), pairedItem: { item: itemIndex } }];
		}
		return summaryItems(result, about, output).map((json) => ({ json, pairedItem: { item: itemIndex } }));
	});
}

/**
 * The figures as n8n items: one per group (`row: "group"`) and a last one with the window's
 * totals (`row: "totals"`); or one item with the totals and the groups as an array.
 */
export function summaryItems(result: SummaryResult, about: IDataObject, output: OutputMode): IDataObject[] {
	if (output === 'single') return [{ ...about, groupCount: result.groups.length, totals: result.totals, groups: result.groups }];
	return [...result.groups.map((group) => ({ row: 'group', ...group })), { row: 'totals', ...about, groupCount: result.groups.length, ...result.totals }];
}
