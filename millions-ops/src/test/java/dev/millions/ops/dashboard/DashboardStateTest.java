package dev.millions.ops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.millions.ops.node.Roles;
import dev.millions.ops.supervisor.NodeState;
import dev.millions.ops.supervisor.NodeStatus;
import dev.millions.ops.supervisor.Timeline;
import dev.millions.ops.topology.Topology;

class DashboardStateTest {

    private static final long SECOND = 1_000_000_000L;
    private final Topology stateless = Roles.topologies().load("stateless");
    private final Timeline timeline = new Timeline(Clock.systemUTC());

    private static NodeState node(String name, String role, NodeStatus status, String detail) {
        // No pid of ours: the state is read without looking at processes.
        return new NodeState(name, role, status, -1, "", "127.0.0.1:1", null, null, detail, 0, null);
    }

    @Test
    void clusterMembers_goInTheirClustersBox_andAScaledNodeTakesItsRolesPlace() {
        List<NodeState> nodes = List.of(node("cache", "redis", NodeStatus.READY, "6 of 6"),
                                        node("cache-1", "redis", NodeStatus.READY, "master, slots 0-5460"),
                                        node("web-3", "web", NodeStatus.READY, "scale up"),
                                        node("lb", "lb", NodeStatus.READY, null));

        Map<String, Object> state = DashboardState.of(stateless, nodes, Map.of(), Map.of(), timeline);

        assertThat(views(state)).extracting(view -> view.get("name") + ":" + view.get("group") + ":" + view.get("row")
                                                    + ":" + view.get("dc"))
                                .containsExactly("cache:null:5:dc1", "cache-1:cache:5:dc1", "web-3:null:3:dc1",
                                                 "lb:null:2:dc1");
    }

    @Test
    void edges_comeFromTheTopology_andCarryTheRateTheSenderCountsPerBackend() {
        NodeHistory balancer = new NodeHistory();
        balancer.add(new NodeHistory.Tick(0, Map.of(Readings.EDGE + "web-1", 0.0), Double.NaN, 0));
        balancer.add(new NodeHistory.Tick(5 * SECOND, Map.of(Readings.EDGE + "web-1", 100.0), Double.NaN, 0));
        List<NodeState> nodes = List.of(node("web-1", "web", NodeStatus.READY, null),
                                        node("lb", "lb", NodeStatus.READY, null),
                                        node("db", "postgres", NodeStatus.READY, null));

        Map<String, Object> state = DashboardState.of(stateless, nodes, Map.of("lb", balancer), Map.of(), timeline);

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> edges = (List<Map<String, Object>>) state.get("edges");
        assertThat(edges).anySatisfy(edge -> assertThat(edge).containsEntry("from", "lb").containsEntry("to", "web-1")
                                                             .containsEntry("rps", 20.0))
                         .anySatisfy(edge -> assertThat(edge).containsEntry("from", "web-1").containsEntry("to", "db")
                                                             .containsEntry("rps", null))
                         .noneSatisfy(edge -> assertThat(edge.get("to")).isEqualTo("web-2"));
    }

    @Test
    void health_saysDownStartingOrSilent_fromTheStatusTheMembersDetailAndTheScrapes() {
        List<NodeState> nodes = List.of(node("web-1", "web", NodeStatus.EXITED, "killed"),
                                        node("web-2", "web", NodeStatus.READY, null),
                                        node("cache-1", "redis", NodeStatus.READY, "down, being replaced"),
                                        node("cache-2", "redis", NodeStatus.READY, "rebuilding"),
                                        node("lb", "lb", NodeStatus.STARTING, null));

        Map<String, Object> state = DashboardState.of(stateless, nodes, Map.of(), Map.of("web-2", false), timeline);

        assertThat(views(state)).extracting(view -> view.get("name") + "=" + view.get("health"))
                                .containsExactly("web-1=down", "web-2=silent", "cache-1=down", "cache-2=starting",
                                                 "lb=starting");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> views(Map<String, Object> state) {
        return (List<Map<String, Object>>) state.get("nodes");
    }
}
