package io.jenkins.plugins.azuresshvm.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.azuresshvm.azure.DerivedVmName;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentVmNamesTest {

    @Test
    void namesStartWithTheSanitizedCloudNameAndAreUniqueWithinIt() {
        AgentVmNames names = new AgentVmNames("Azure Agents (prod)", new Random(1));
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String name = names.next(taken::contains);
            assertThat(name).matches("azure-agents-prod-[0-9a-f]{8}-[a-z0-9]{6}")
                    .hasSizeLessThanOrEqualTo(DerivedVmName.MAX_LENGTH);
            assertThat(taken.add(name)).as("unique: " + name).isTrue();
        }
        assertThat(new AgentVmNames("agents", new Random(1)).next(name -> false)).matches("agents-[a-z0-9]{6}");
    }

    @Test
    void cloudsWhoseNamesSanitizeAlikeGetDifferentPrefixes() {
        assertThat(new AgentVmNames("agents", new Random(7)).next(name -> false)).matches("agents-[a-z0-9]{6}");
        assertThat(new AgentVmNames("agents!", new Random(7)).next(name -> false))
                .matches("agents-[0-9a-f]{8}-[a-z0-9]{6}");
    }

    @Test
    void givesUpWhenEveryNameIsTakenAndRefusesAnUnnamedCloud() {
        assertThatThrownBy(() -> new AgentVmNames("c").next(name -> true))
                .hasMessage("no free agent VM name for cloud 'c' after 100 attempts");
        assertThatThrownBy(() -> new AgentVmNames(" ")).hasMessageContaining("cloud name: missing");
    }
}
