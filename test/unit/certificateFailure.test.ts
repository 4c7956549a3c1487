/** certificateFailureOf: a refused certificate known by Node's code, or by OpenSSL's words once n8n has dropped the code. */
import { certificateFailureOf } from '../../nodes/transport/certificateFailure';

const coded = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('certificateFailureOf', () => {
	test.each([
		['a code', coded('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), 'untrusted', 'is not trusted by this n8n (self-signed certificate)'],
		['words only (n8n-core dropped the code)', new Error('unable to get local issuer certificate'), 'untrusted', 'is not trusted by this n8n (unable to get local issuer certificate)'],
		['a cause', { message: 'wrapped', cause: coded('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain') }, 'untrusted', 'is not trusted by this n8n (self-signed certificate in certificate chain)'],
		['an expired certificate', new Error('certificate has expired'), 'expired', 'has expired'],
		['a certificate not valid yet', coded('CERT_NOT_YET_VALID', 'certificate is not yet valid'), 'notYetValid', 'is not valid yet'],
		['another name', new Error("Hostname/IP does not match certificate's altnames: Host: api.example.com. is not in the cert's altnames: DNS:example.org"), 'wrongName', 'is not valid for api.example.com'],
		['another IP', coded('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames: IP: 10.0.0.2 is not in the cert's list: 10.0.0.1"), 'wrongName', 'is not valid for 10.0.0.2'],
		['another certificate code', coded('CERT_REVOKED', 'certificate revoked'), 'refused', 'was refused (certificate revoked)'],
	])('%s', (_name, error, problem, reason) => {
		expect(certificateFailureOf(error)).toEqual({ problem, reason });
	});

	test.each([
		['a reset', coded('ECONNRESET', 'socket hang up')],
		['a message that only mentions certificates', new Error('could not load the certificate store')],
		['no error', undefined],
	])('%s is no certificate failure', (_name, error) => {
		expect(certificateFailureOf(error)).toBeUndefined();
	});
});
