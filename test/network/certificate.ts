/**
 * Certificates made for one run with Debian's openssl (/usr/bin/openssl): a self-signed
 * certificate for 127.0.0.1, which a client trusts by naming its PEM file in NODE_EXTRA_CA_CERTS
 * (read once, when Node starts) and no client trusts otherwise.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** PEM text, so that it passes through JSON to a sandbox in another process. */
export interface TestCertificate {
	key: string;
	cert: string;
}

/** A one-day certificate for IP 127.0.0.1 only (so `localhost` is another name); ECDSA P-256, quick to make. */
export function makeCertificate(): TestCertificate {
	const dir = mkdtempSync(join(tmpdir(), 'call-records-tls-'));
	try {
		execFileSync(
			'openssl',
			['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
			{ stdio: 'ignore' },
		);
		return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** Writes the certificate (not its key) to `dir` for NODE_EXTRA_CA_CERTS; returns the file's path. */
export function writeTrustFile(certificate: TestCertificate, dir: string): string {
	const file = join(dir, 'sandbox-ca.pem');
	writeFileSync(file, certificate.cert);
	return file;
}
