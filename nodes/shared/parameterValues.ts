import { inputError } from '../transport/errors';
import type { RequestContext } from '../transport/http';

/**
 * Checks for values read from node parameters, which an expression can make anything. Each failure
 * is an inputError naming the field (its label as the editor shows it) and the fix.
 */

/**
 * A list given as a comma-separated string, an array or one number: trimmed, empty entries
 * dropped. Undefined when the value is none of these.
 */
export function commaList(value: unknown): string[] | undefined {
	if (value === undefined || value === null || value === '') return [];
	if (typeof value === 'number') return [String(value)];
	const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
	if (!parts || parts.some((part) => typeof part !== 'string' && typeof part !== 'number')) return undefined;
	return parts.map((part) => String(part).trim()).filter((part) => part !== '');
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

/** A number within the rule's bounds. */
export function checkNumber(ctx: RequestContext, value: unknown, rule: NumberRule, itemIndex?: number): number {
	const { label, min, max, whole, above } = rule;
	const inBounds =
		typeof value === 'number' &&
		Number.isFinite(value) &&
		(!whole || Number.isInteger(value)) &&
		(above ? value > min : value >= min) &&
		(max === undefined || value <= max);
	if (inBounds) return value;
	const kind = whole ? 'a whole number' : 'a number';
	const range = max !== undefined ? `from ${min} to ${max}` : above ? `above ${min}` : `of at least ${min}`;
	throw inputError(ctx, `${label} must be ${kind} ${range}`, `Got "${String(value)}".${rule.fix ? ` ${rule.fix}` : ''}`, itemIndex);
}

export function checkBoolean(ctx: RequestContext, value: unknown, label: string, itemIndex?: number): boolean {
	if (typeof value === 'boolean') return value;
	throw inputError(ctx, `${label} must be true or false`, `Got "${String(value)}". Use a boolean.`, itemIndex);
}

/** Timeout (Seconds), in the Options of every node and the trigger, as milliseconds. */
export function timeoutMs(ctx: RequestContext, value: unknown, label: string, itemIndex?: number): number {
	return checkNumber(ctx, value ?? 60, { label, min: 0, above: true, fix: '60 suits most accounts.' }, itemIndex) * 1000;
}
