/**
 * A TLS certificate the n8n host refused, and what fixes it. Known by Node's error code, or by
 * OpenSSL's words once n8n's request helper has wrapped the error (n8n-core's NodeApiError keeps
 * the message, not the code). Never retried: another attempt meets the same certificate.
 */

export type CertificateProblem = 'untrusted' | 'wrongName' | 'expired' | 'notYetValid' | 'refused';

export interface CertificateFailure {
	problem: CertificateProblem;
	/** What is wrong, to follow "certificate": "is not trusted by this n8n (self-signed certificate)". */
	reason: string;
}

/** Node's codes (and OpenSSL's words for them) for a certificate that chains to no CA the host trusts. */
const UNTRUSTED: Array<[string, RegExp]> = [
	['DEPTH_ZERO_SELF_SIGNED_CERT', /^self[- ]signed certificate$/i],
	['SELF_SIGNED_CERT_IN_CHAIN', /^self[- ]signed certificate in certificate chain$/i],
	['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /^unable to verify the first certificate$/i],
	['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', /^unable to get local issuer certificate$/i],
	['UNABLE_TO_GET_ISSUER_CERT', /^unable to get issuer certificate$/i],
];

/** How to make n8n trust a private CA's (or a self-signed) certificate: Node reads this when n8n starts. */
export const TRUST_FIX =
	'start n8n with the environment variable NODE_EXTRA_CA_CERTS set to the PEM file of the CA that issued it (or of the self-signed certificate), then run again';

export function certificateFailureOf(error: unknown): CertificateFailure | undefined {
	type Coded = { code?: unknown; message?: unknown; cause?: unknown };
	const candidates = [error, (error as Coded)?.cause].filter((c): c is Coded => typeof c === 'object' && c !== null);
	for (const candidate of candidates) {
		const code = typeof candidate.code === 'string' ? candidate.code : '';
		const message = typeof candidate.message === 'string' ? candidate.message.trim() : '';
		const untrusted = UNTRUSTED.find(([known, words]) => code === known || words.test(message));
		if (untrusted) return { problem: 'untrusted', reason: `is not trusted by this n8n (${message || untrusted[0]})` };
		const wrongHost = /^Hostname\/IP does not match certificate's altnames: (?:Host|IP): ([^\s.]+(?:\.[^\s.]+)*)\.? is not/i.exec(message);
		if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || wrongHost) {
			return { problem: 'wrongName', reason: `is not valid for ${wrongHost?.[1] ?? 'this host name'}` };
		}
		if (code === 'CERT_HAS_EXPIRED' || /^certificate has expired$/i.test(message)) return { problem: 'expired', reason: 'has expired' };
		if (code === 'CERT_NOT_YET_VALID' || /^certificate is not yet valid$/i.test(message)) return { problem: 'notYetValid', reason: 'is not valid yet' };
		if (/^(CERT_|ERR_TLS_CERT)/.test(code)) return { problem: 'refused', reason: `was refused (${message || code})` };
	}
	return undefined;
}
