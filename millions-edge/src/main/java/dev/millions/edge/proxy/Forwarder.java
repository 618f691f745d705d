package dev.millions.edge.proxy;

/** The stage that sends a request to a backend of its group and streams the answer back. */
final class Forwarder implements RequestHandler {

    private final ProxyContext proxy;

    Forwarder(ProxyContext proxy) {
        this.proxy = proxy;
    }

    @Override
    public Handling handle(Call call) {
        return new Exchange(proxy, call);
    }
}
