package io.jenkins.plugins.azuresshvm.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentDemandTest {

    @Test
    void startsEnoughVmsForTheWaitingExecutorsRoundingUp() {
        assertThat(AgentDemand.vmsToStart(1, 2, 0, 10)).isEqualTo(1);
        assertThat(AgentDemand.vmsToStart(4, 2, 0, 10)).isEqualTo(2);
        assertThat(AgentDemand.vmsToStart(5, 2, 0, 10)).isEqualTo(3);
    }

    @Test
    void neverExceedsTheInstanceCapCountingVmsThatExistOrAreBeingMade() {
        assertThat(AgentDemand.vmsToStart(10, 1, 2, 3)).isEqualTo(1);
        assertThat(AgentDemand.vmsToStart(10, 1, 3, 3)).isZero();
        assertThat(AgentDemand.vmsToStart(10, 1, 5, 3)).as("over the cap after it was lowered").isZero();
    }

    @Test
    void startsNothingWithoutWorkAndRefusesNonsense() {
        assertThat(AgentDemand.vmsToStart(0, 1, 0, 3)).isZero();
        assertThat(AgentDemand.vmsToStart(-2, 1, 0, 3)).isZero();
        assertThatThrownBy(() -> AgentDemand.vmsToStart(1, 0, 0, 3)).hasMessageContaining("executors per VM (0)");
    }
}
