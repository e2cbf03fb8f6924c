package dev.runway.webhook;

import dev.runway.base.BadInputException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which URLs Runway may call: http(s) only, and (unless {@code runway.webhooks.allow-private-addresses}) only hosts
 * whose every resolved address is a public one. Otherwise a member could make the server call its own network: a
 * database's admin port, a cloud's metadata service with its credentials. Checked when an endpoint is saved and again
 * before each attempt, since a name's addresses can change.
 */
final class Addresses {

    private Addresses() {}

    /** Resolves names with the system resolver; tests of the rules pass their own. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    static URI check(String url, boolean allowPrivate) {
        return check(url, allowPrivate, InetAddress::getAllByName);
    }

    /** The URL, parsed; a message for the "url" field when it may not be called. */
    static URI check(String url, boolean allowPrivate, Resolver resolver) {
        URI uri = parse(url);
        if (allowPrivate) {
            return uri;
        }
        String host = uri.getHost();
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw new BadInputException("url", "The host " + host + " could not be found: check the spelling");
        }
        if (addresses.length == 0) {
            throw new BadInputException("url", "The host " + host + " has no address");
        }
        for (InetAddress address : addresses) {
            String range = refusedRange(address);
            if (range != null) {
                throw new BadInputException("url", "The host " + host + " is at " + address.getHostAddress()
                        + ", " + range + ". Runway sends webhooks to public internet addresses only");
            }
        }
        return uri;
    }

    /** Syntax alone: an absolute http(s) URL with a host and no user name or password. */
    static URI parse(String url) {
        String value = url == null ? "" : url.strip();
        if (value.isEmpty()) {
            throw new BadInputException("url", "URL is required, e.g. https://example.com/hooks/runway");
        }
        if (value.length() > WebhookEndpoint.URL_MAX) {
            throw new BadInputException("url", "URL must be at most " + WebhookEndpoint.URL_MAX + " characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new BadInputException("url", "This is not a valid URL (" + e.getReason()
                    + "): enter one like https://example.com/hooks/runway");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new BadInputException("url", "Use an http:// or https:// URL (https is recommended)"
                    + (scheme.isEmpty() ? "" : "; " + scheme + ": URLs are not called"));
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new BadInputException("url", "The URL needs a host name, e.g. https://example.com/hooks/runway");
        }
        if (uri.getRawUserInfo() != null) {
            throw new BadInputException("url", "Put no user name or password in the URL: receivers check the "
                    + "Runway-Signature header instead");
        }
        if (uri.getRawFragment() != null) {
            throw new BadInputException("url", "Leave out the #fragment: it is never sent to a server");
        }
        return uri;
    }

    /** The name of the range an address lies in when Runway may not call it; null for a public address. */
    static String refusedRange(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "the unspecified address";
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address (cloud metadata services live there)";
        }
        if (address.isSiteLocalAddress()) {
            return "a private address";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return refusedIpv4(b);
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return "a unique-local (private) address";
            }
            // IPv4 carried inside IPv6 (compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16): judge the IPv4.
            byte[] v4 = null;
            if (allZero(b, 0, 12)) {
                v4 = Arrays.copyOfRange(b, 12, 16);
            } else if (first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                    && allZero(b, 4, 12)) {
                v4 = Arrays.copyOfRange(b, 12, 16);
            } else if (first == 0x20 && (b[1] & 0xff) == 0x02) {
                v4 = Arrays.copyOfRange(b, 2, 6);
            }
            if (v4 != null) {
                try {
                    String inner = refusedRange(InetAddress.getByAddress(v4));
                    return inner == null ? null : inner + " (inside an IPv6 address)";
                } catch (UnknownHostException e) {
                    return "an address Runway cannot judge";
                }
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return "a documentation address";
            }
        }
        return null;
    }

    private static String refusedIpv4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        if (a0 == 0) {
            return "the unspecified network 0.0.0.0/8";
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return "a shared (carrier-grade NAT) address, where some clouds keep their metadata service";
        }
        if (a0 == 192 && a1 == 0 && a2 == 0) {
            return "an IETF protocol address (192.0.0.0/24, some clouds' metadata service)";
        }
        if (a0 == 198 && (a1 & 0xfe) == 18) {
            return "a benchmarking address (198.18.0.0/15)";
        }
        if ((a0 == 192 && a1 == 0 && a2 == 2) || (a0 == 198 && a1 == 51 && a2 == 100)
                || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return "a documentation address";
        }
        if (a0 >= 240) {
            return "a reserved or broadcast address";
        }
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
