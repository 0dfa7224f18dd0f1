/**
 * The sandbox answers only to its own addresses. A web page that rebinds its DNS name to
 * 127.0.0.1 still sends its own name in Host, so checking Host keeps such pages away from the
 * unsigned Identity Center routes (and everything else).
 */

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export class HostCheck {
  private readonly allowed = new Set<string>();

  /** Every loopback name at this port (a TLS front or a port forward in front of the sandbox). */
  addPort(port: number): void {
    for (const name of LOOPBACK_NAMES) {
      this.allowed.add(`${name}:${port}`);
      if (port === 80) this.allowed.add(name); // the default port may be left out of Host
    }
  }

  /** A configured name: `host` (meaning at `port`) or `host:port`. */
  add(host: string, port: number): void {
    const hasPort = /:\d+$/.test(host); // an IPv6 address comes in brackets: [::1] or [::1]:8080
    this.allowed.add((hasPort ? host : `${host}:${port}`).toLowerCase());
  }

  allows(host: string | undefined): boolean {
    return host !== undefined && this.allowed.has(host.toLowerCase());
  }

  /** A refusal naming what was sent (shortened) and what the sandbox answers to. */
  refusal(host: string | undefined): string {
    const sent = host === undefined ? 'no Host header' : `Host '${host.slice(0, 100)}'`;
    const own = [...this.allowed].slice(0, 3).join(', ');
    return `The request was sent with ${sent}, which is not an address of this sandbox (it answers to ${own}${this.allowed.size > 3 ? ', ...' : ''}).`;
  }
}
