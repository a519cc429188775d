package io.rns.cli;

import io.rns.cli.output.Lines;
import io.rns.client.NamesrvClient;
import io.rns.client.Reply;
import io.rns.rpc.v1.DeleteTopicResponse;
import io.rns.rpc.v1.GetClusterInfoResponse;
import io.rns.rpc.v1.ListTopicsResponse;
import io.rns.rpc.v1.TopicRoute;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The route-table reads and topic deletion: route, cluster, topics, delete-topic. */
final class TopicCommands {
    private TopicCommands() {
    }

    @Command(name = "route", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = "The route of a topic (queues and brokers).")
    static final class Route extends ClientCommand {
        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Override
        void run(NamesrvClient client) {
            Reply<TopicRoute> reply = client.getTopicRoute(topic, options());
            TopicRoute r = reply.value();
            output.emit(reply.meta(), Lines.route(r), r);
        }
    }

    @Command(name = "cluster", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = "Clusters, their brokers and addresses.")
    static final class ClusterInfo extends ClientCommand {
        @Override
        void run(NamesrvClient client) {
            Reply<GetClusterInfoResponse> reply = client.getClusterInfo(options());
            GetClusterInfoResponse c = reply.value();
            List<String> lines = new ArrayList<>();
            new TreeMap<>(c.getClusterAddrTableMap()).forEach((name, names) -> lines.add("cluster " + name + ": "
                    + names.getBrokerNamesList().stream().sorted().collect(Collectors.joining(","))));
            new TreeMap<>(c.getBrokerAddrTableMap()).forEach((name, b) -> lines.add(Lines.broker(b)));
            output.emit(reply.meta(), lines, c);
        }
    }

    @Command(name = "topics", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = "Topic names, one per line (sorted).")
    static final class Topics extends ClientCommand {
        @Option(names = "--cluster", description = "Only this cluster's topics.")
        String cluster;

        @Override
        void run(NamesrvClient client) {
            Reply<List<String>> reply = client.listTopics(cluster, options());
            output.emit(reply.meta(), reply.value(), ListTopicsResponse.newBuilder().addAllTopics(reply.value()));
        }
    }

    @Command(name = "delete-topic", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, description = "Delete a topic (everywhere, or in one cluster).")
    static final class DeleteTopic extends ClientCommand {
        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Option(names = "--cluster")
        String cluster;

        @Override
        void run(NamesrvClient client) {
            Reply<DeleteTopicResponse> reply = client.deleteTopic(topic, cluster, options());
            output.emitWrite(reply, List.of("existed=" + reply.value().getExisted()), reply.value(),
                    x -> "existed=" + x.getExisted());
        }
    }
}
