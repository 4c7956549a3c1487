import type { IDataObject } from 'n8n-workflow';

import { toNodeError } from '../transport/errors';
import type { RequestContext } from '../transport/http';
import { settle } from '../transport/settle';
import type { RecordingOptions } from './recordings';
import type { SummarySpec } from './summarize/spec';

/**
 * A record kind as the nodes and the trigger see it: which API lists it and how, what identifies
 * a record and when it was filed. Each kind has one, in its node's folder (`listing.ts`); the
 * Get Many node and the trigger both read through it.
 */
export interface Listing {
	/** The kind's name, as the node and the trigger's Source show it. */
	name: string;
	credential: 'callRecordsApi' | 'nxCloudApi';
	idField: string;
	/** The time a record is filed under: what the API's window selects on. */
	timeField: string;
	/** The order the API lists records in. */
	newestFirst: boolean;
	/** How far back the API serves records, if it does not serve all. */
	horizon?: Horizon;
	/** Turns the node's Filters collection into request parameters, checking it first. */
	parseFilters?: (ctx: RequestContext, value: unknown, itemIndex: number) => IDataObject;
	/** Fields the trigger's Only SIP Codes and Only Hang-Up Reasons compare with. */
	sipFields: string[];
	reasonFields: string[];
	/** Former texts of reasons (lower case), still accepted by Only Hang-Up Reasons, and the code each stands for. */
	reasonAliases?: Record<string, string>;
	/**
	 * The recordings a record points at, as sent (URLs or paths; empty when none); absent for kinds
	 * without. Anything but text in it is a bad URL that Download Recordings reports.
	 */
	recordingUrls?: (record: IDataObject) => unknown[];
	/** Reads a window: every page (or up to the limit), shaped like the node's output. */
	read: (ctx: RequestContext, itemIndex: number, read: ListingRead) => Promise<IDataObject[]>;
	/**
	 * Reads a whole window through the same requests as `read`, folding each page's shaped records
	 * into `fold` as it arrives and keeping none (Summarize). The read's limit and Raw Output are not used.
	 */
	fold: <S>(ctx: RequestContext, itemIndex: number, read: ListingRead, fold: RecordFold<S>) => Promise<S>;
	/** What Summarize reports of this kind: its dimensions and figures. */
	summary: SummarySpec;
}

/** Folds records into a state of type S, e.g. Summarize's per-group figures. States of parts of a read merge. */
export interface RecordFold<S> {
	start: () => S;
	add: (state: S, record: IDataObject) => void;
	merge: (into: S, part: S) => void;
}

/** One read of a listing, every part already checked. */
export interface ListingRead {
	/** The window, both ends inclusive, in epoch ms. */
	startMs: number;
	endMs: number;
	/** Undefined: every record (Return All). */
	limit?: number;
	/** The endpoint's own filters, as request parameters. */
	filters: IDataObject;
	/** Return the records as the API sent them. */
	rawOutput: boolean;
	/**
	 * The trigger, which must not stall: keep a record that does not convert, and the records of a
	 * second the API cannot page past (see CrowdedSecond), each with a `recordError` field saying
	 * why, instead of failing.
	 */
	markBadRecords?: boolean;
	/** Told of each second the read could not page past, under markBadRecords (the trigger logs it). */
	onCrowdedSecond?: (crowded: CrowdedSecond) => void;
	/** The workflow's time zone: output times are written in it. */
	timeZone: string;
	/** Requests in flight at most, and how long one may take. */
	concurrency: number;
	timeoutMs: number;
	/** Download Recordings, when on: the records' files come with the items (see recordings.ts). */
	recordings?: RecordingOptions;
	/**
	 * Told how many records the window holds, when the API says so (a tool's answer reports it);
	 * called once per read, not at all by a listing whose API gives no count.
	 */
	onTotal?: (total: number) => void;
}

/**
 * A second holding more records than one call of an API without pages returns (NXCloud: 100):
 * the ones it returned are read, any more are not.
 */
export interface CrowdedSecond {
	/** As the API writes it, with its time zone. */
	second: string;
	timeZone: string;
	/** The records read on that second. */
	ids: string[];
	/** Why the rest cannot be read, for the log. */
	reason: string;
}

export interface Horizon {
	/** The earliest start the API serves at `nowMs`. */
	earliestStartMs: (nowMs: number) => number;
	/** How long the API keeps records, for messages: "two months". */
	span: string;
}

/**
 * How a window lies against a listing's horizon: inside, starting before it, or wholly before it;
 * when before, `kept` ends the message that says so ("… older than the two months voice records are kept").
 */
export function againstHorizon(
	listing: Listing,
	startMs: number,
	endMs: number,
	nowMs: number,
): { earliestMs: number; tooOld?: undefined } | { earliestMs: number; tooOld: 'start' | 'whole'; span: string; kept: string } {
	const { horizon } = listing;
	const earliestMs = horizon?.earliestStartMs(nowMs) ?? -Infinity;
	if (!horizon || startMs >= earliestMs) return { earliestMs };
	return { earliestMs, tooOld: endMs <= earliestMs ? 'whole' : 'start', span: horizon.span, kept: `the ${horizon.span} ${listing.name.toLowerCase()} are kept` };
}

/** Reads through a listing; whatever goes wrong arrives as a node error against the item. */
export async function readRecords(ctx: RequestContext, itemIndex: number, listing: Listing, read: ListingRead): Promise<IDataObject[]> {
	return await asNodeError(ctx, itemIndex, listing.read(ctx, itemIndex, read));
}

/** Folds a read through a listing; whatever goes wrong arrives as a node error against the item. */
export async function foldRecords<S>(ctx: RequestContext, itemIndex: number, listing: Listing, read: ListingRead, fold: RecordFold<S>): Promise<S> {
	return await asNodeError(ctx, itemIndex, listing.fold(ctx, itemIndex, read, fold));
}

async function asNodeError<T>(ctx: RequestContext, itemIndex: number, work: Promise<T>): Promise<T> {
	const outcome = await settle(work);
	if (outcome.ok) return outcome.value;
	throw toNodeError(ctx, outcome.error, itemIndex);
}
