/**
 * The two floors a read over a link with round-trip time `rttMs` cannot beat, `parallel` requests
 * at a time:
 *   - keep-alive: each request costs one round trip (a client that reuses its connections);
 *   - per-request connection: each also pays its handshakes (TCP 1 round trip, TLS 1.3 1, TLS 1.2 2),
 *     as n8n's request helper opens a new connection for every request.
 */
export function handshakeRoundTrips(tlsVersion: string | undefined): number {
	if (!tlsVersion) return 1;
	return 1 + (tlsVersion === 'TLSv1.3' ? 1 : 2);
}

export function floorsMs(requests: number, rttMs: number, parallel: number, handshakes: number): { keepAliveMs: number; perConnectionMs: number } {
	return { keepAliveMs: (requests * rttMs) / parallel, perConnectionMs: (requests * (handshakes + 1) * rttMs) / parallel };
}
