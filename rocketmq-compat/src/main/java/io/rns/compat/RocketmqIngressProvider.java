package io.rns.compat;

import io.rns.namesrv.config.NamesrvConfig;
import io.rns.namesrv.spi.IngressContext;
import io.rns.namesrv.spi.IngressProvider;

/** The RocketMQ remoting ingress: on when {@code rocketmq.listen-port} > 0. */
public final class RocketmqIngressProvider implements IngressProvider {
    public static final String NAME = "rocketmq";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean enabled(NamesrvConfig config) {
        return config.rocketmq().enabled();
    }

    @Override
    public AutoCloseable start(IngressContext context) throws Exception {
        return RocketmqServer.start(context);
    }
}
