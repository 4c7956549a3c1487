import { inputError } from '../transport/errors';
import type { RequestContext } from '../transport/http';

/**
 * Checks for values read from node parameters, which an expression can make anything. Each failure
 * is an inputError naming the field (its label as the editor shows it) and the fix.
 */

/**
 * A list given as a comma-separated string, a JSON array in a string ("[7, 8]", as a model or an
 * expression may write it), an array or one number: trimmed, empty entries dropped. Undefined
 * when the value is none of these.
 */
export function commaList(value: unknown): string[] | undefined {
	if (value === undefined || value === null || value === '') return [];
	if (typeof value === 'number') return Number.isFinite(value) ? [String(value)] : undefined;
	const parts = Array.isArray(value) ? value : typeof value === 'string' ? splitText(value) : undefined;
	if (!parts || parts.some((part) => typeof part !== 'string' && typeof part !== 'number')) return undefined;
	return parts.map((part) => String(part).trim()).filter((part) => part !== '');
}

function splitText(text: string): unknown[] | undefined {
	const trimmed = text.trim();
	if (!trimmed.startsWith('[')) return trimmed.split(',');
	try {
		const parsed: unknown = JSON.parse(trimmed);
		return Array.isArray(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/** Why a coded list was refused: the entry, and the codes it could have meant when it was ambiguous. */
export type CodeListProblem = { entry: string; candidates: number[] };

/**
 * A multi-select of documented codes as the editor, an expression or a model gives it: codes
 * (7, "7", "[7,8]", "7, 8"), labels ("Called party busy"), a part of one label ("busy"), or the
 * editor's option name ("Called party busy (7)"). Returns the codes in the order given, once
 * each, or the first entry that names no code or several.
 */
export function readCodeList(value: unknown, codes: Record<number, string>): number[] | CodeListProblem | undefined {
	const entries = commaList(value);
	if (entries === undefined) return undefined;
	const out: number[] = [];
	for (let i = 0; i < entries.length; i++) {
		// Some labels hold a comma ("Transfer ringing, hung up"): the two parts rejoined come first.
		const joined = i + 1 < entries.length ? codesMatching(`${entries[i]}, ${entries[i + 1]}`, codes, true) : [];
		const candidates = joined.length === 1 ? joined : codesMatching(entries[i], codes);
		if (candidates.length !== 1) return { entry: entries[i], candidates };
		if (joined.length === 1) i++;
		if (!out.includes(candidates[0])) out.push(candidates[0]);
	}
	return out;
}

/** The codes an entry names: by code, by whole label, or (unless `exactOnly`) by a part of a label. */
function codesMatching(entry: string, codes: Record<number, string>, exactOnly = false): number[] {
	const all = Object.keys(codes).map(Number);
	const named = /^(.*)\((-?\d+)\)$/.exec(entry);
	const code = named ? named[2] : entry;
	if (/^-?\d+$/.test(code)) return Number(code) in codes ? [Number(code)] : [];
	const text = entry.toLowerCase();
	const exact = all.filter((c) => codes[c].toLowerCase() === text);
	if (exact.length > 0 || exactOnly) return exact;
	return all.filter((c) => codes[c].toLowerCase().includes(text));
}

/** Why readCodeList refused a value, and what is accepted: the description of the field's error. */
export function explainCodeList(problem: CodeListProblem | undefined, codes: Record<number, string>): string {
	const which =
		problem === undefined ? '' : problem.candidates.length > 1 ? `"${problem.entry}" could be ${problem.candidates.join(' or ')}. ` : `"${problem.entry}" is not one of them. `;
	return `${which}${describeCodes(codes)}`;
}

/** The accepted values of a coded field and an example, for its error's description. */
export function describeCodes(codes: Record<number, string>): string {
	const list = Object.entries(codes)
		.map(([code, label]) => `${code} (${label})`)
		.join(', ');
	const [first, second] = Object.entries(codes);
	const example = `e.g. "${first[0]}, ${second[0]}", [${first[0]}, ${second[0]}] or "${second[1].toLowerCase()}"`;
	return `Use codes or labels, as a list: ${list}; ${example}.`;
}

export interface NumberRule {
	/** The field as the editor labels it, e.g. "Options → Look-Back (Minutes)". */
	label: string;
	/** The bound; `above` makes it exclusive. */
	min: number;
	above?: boolean;
	max?: number;
	whole?: boolean;
	/** What to do instead, after "Got …". */
	fix?: string;
}

/** A number within the rule's bounds; a string of one (as a model may send) is read as it. */
export function checkNumber(ctx: RequestContext, raw: unknown, rule: NumberRule, itemIndex?: number): number {
	const { label, min, max, whole, above } = rule;
	const value = typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
	const inBounds =
		typeof value === 'number' &&
		Number.isFinite(value) &&
		(!whole || Number.isInteger(value)) &&
		(above ? value > min : value >= min) &&
		(max === undefined || value <= max);
	if (inBounds) return value;
	const kind = whole ? 'a whole number' : 'a number';
	const range = max !== undefined ? `from ${min} to ${max}` : above ? `above ${min}` : `of at least ${min}`;
	throw inputError(ctx, `${label} must be ${kind} ${range}`, `Got "${String(raw)}".${rule.fix ? ` ${rule.fix}` : ''}`, itemIndex);
}

/** true or false; the strings "true" and "false" (as a model may send them) too. */
export function checkBoolean(ctx: RequestContext, value: unknown, label: string, itemIndex?: number): boolean {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string' && /^\s*(true|false)\s*$/i.test(value)) return value.trim().toLowerCase() === 'true';
	throw inputError(ctx, `${label} must be true or false`, `Got "${String(value)}". Use a boolean: true or false.`, itemIndex);
}

/** Timeout (Seconds), in the Options of every node and the trigger, as milliseconds. */
export function timeoutMs(ctx: RequestContext, value: unknown, label: string, itemIndex?: number): number {
	return checkNumber(ctx, value ?? 60, { label, min: 0, above: true, fix: '60 suits most accounts.' }, itemIndex) * 1000;
}
