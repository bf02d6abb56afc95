package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.azuresshvm.emulator.ArmEmulator;
import io.jenkins.plugins.azuresshvm.emulator.LiveResource;
import io.jenkins.plugins.azuresshvm.keys.KeyGenSpec;
import io.jenkins.plugins.azuresshvm.keys.SshKeyGenerator;
import io.jenkins.plugins.azuresshvm.keys.SshPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sweep of lost agents against the ARM emulator (real SDK over HTTPS): of one cloud's agent VMs, the old one
 * without a node goes with everything created with it; a live agent, a young one (maybe still being made) and another
 * cloud's lost agent stay, as does the shared resource group.
 */
class LostAgentSweepTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String CLOUD = "jenkins-test/cloud-a";
    private static final String OTHER_CLOUD = "jenkins-test/cloud-b";
    private static final String GROUP = "rg-agents";

    private static ArmEmulator arm;
    private static AzureAccess azure;
    private static SshPublicKey key;

    @BeforeAll
    static void createAgents() throws Exception {
        arm = Emulators.startOrSkip();
        azure = Emulators.access(arm);
        key = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "sweep@test").publicKey();
        azure.resources().resourceGroups().define(GROUP).withRegion(Emulators.REGION).create();
        Clock hourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        provision(hourAgo, "cloud-a-lost01", CLOUD);
        provision(hourAgo, "cloud-a-live01", CLOUD);
        provision(Clock.systemUTC(), "cloud-a-young1", CLOUD);
        provision(hourAgo, "cloud-b-lost01", OTHER_CLOUD);
    }

    @AfterAll
    static void stop() {
        if (arm != null) {
            arm.close();
        }
    }

    @Test
    void deletesOnlyTheOldAgentsOfTheCloudThatHaveNoNode() {
        LostAgentSweep sweep = new LostAgentSweep(new OrphanSweep(azure, Clock.systemUTC()));
        List<LiveResource> before = arm.inventory();

        OrphanSweep.Plan plan = sweep.plan(CLOUD, Set.of("cloud-a-live01"), Duration.ofMinutes(30), TIMEOUT);

        assertThat(arm.inventory()).as("after planning").containsExactlyInAnyOrderElementsOf(before);
        assertThat(plan.orphans()).extracting(OrphanSweep.Orphan::name).containsExactly("cloud-a-lost01",
                "cloud-a-lost01-osdisk", "cloud-a-lost01-nic", "cloud-a-lost01-vnet", "cloud-a-lost01-ip",
                "cloud-a-lost01-nsg");

        assertThat(sweep.delete(plan, TIMEOUT)).contains("VM cloud-a-lost01", "OS disk cloud-a-lost01-osdisk");

        List<LiveResource> after = arm.inventory();
        assertThat(after).extracting(LiveResource::id).noneMatch(id -> id.contains("cloud-a-lost01"));
        assertThat(after).containsAll(before.stream().filter(r -> !r.id().contains("cloud-a-lost01")).toList());
        assertThat(Emulators.resourcesOf(arm, "cloud-a-live01")).hasSize(6);
        assertThat(Emulators.resourcesOf(arm, "cloud-a-young1")).hasSize(6);
        assertThat(Emulators.resourcesOf(arm, "cloud-b-lost01")).hasSize(6);
        assertThat(after).extracting(LiveResource::id).anyMatch(id -> id.endsWith("/resourceGroups/" + GROUP));
        assertThat(sweep.plan(CLOUD, Set.of("cloud-a-live01"), Duration.ofMinutes(30), TIMEOUT).orphans())
                .as("a second sweep's plan").isEmpty();
    }

    private static void provision(Clock clock, String name, String owner) {
        new AzureVmProvisioner(azure, Duration.ofMillis(100), clock).provision(VmSpec.builder().name(name)
                .resourceGroup(GROUP).region(Emulators.REGION).sshKeys(key).sshSource("127.0.0.1/32").ownerId(owner)
                .deleteWithVm(DeleteWithVm.NONE).build(), TIMEOUT);
    }
}
