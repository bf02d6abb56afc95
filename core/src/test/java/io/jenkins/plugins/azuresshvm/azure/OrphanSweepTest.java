package io.jenkins.plugins.azuresshvm.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The orphan sweep against the ARM emulator (real SDK over HTTPS): it deletes our resources older than the given age —
 * a VM with its own group, and a VM whose disk stayed detached and that had a just-in-time policy in a shared group —
 * and leaves our young resource, another owner's old ones, untagged ones, one without a creation time and the shared
 * group, as the emulator's inventory shows.
 */
class OrphanSweepTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String OURS = "azssh:tester@host";
    private static final String SHARED = "rg-shared";

    private static ArmEmulator arm;
    private static AzureAccess azure;
    private static SshPublicKey key;
    private static ProvisionedVm oldWithJit;

    @BeforeAll
    static void createOursAndOthers() throws Exception {
        arm = Emulators.startOrSkip();
        azure = Emulators.access(arm);
        key = new SshKeyGenerator().generate(KeyGenSpec.ed25519(), "sweep@test").publicKey();
        azure.resources().resourceGroups().define(SHARED).withRegion(Emulators.REGION).create();
        azure.resources().resourceGroups().define("rg-untagged").withRegion(Emulators.REGION).create();
        azure.network().publicIpAddresses().define("untagged-ip").withRegion(Emulators.REGION)
                .withExistingResourceGroup(SHARED).create();
        azure.network().publicIpAddresses().define("no-created-tag-ip").withRegion(Emulators.REGION)
                .withExistingResourceGroup(SHARED).withTag(AzureVmProvisioner.OWNER_TAG, OURS).create();

        Clock threeHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC);
        provision(threeHoursAgo, spec("sweep-old-own-group", OURS).newResourceGroup("rg-sweep-old"));
        oldWithJit = provision(threeHoursAgo, spec("sweep-old-shared", OURS).resourceGroup(SHARED).jit(true)
                .deleteWithVm(DeleteWithVm.NONE));
        String old = Instant.now().minus(Duration.ofHours(3)).toString();
        azure.network().networkSecurityGroups().define("young-nsg").withRegion(Emulators.REGION)
                .withExistingResourceGroup(SHARED).withTags(Map.of(AzureVmProvisioner.OWNER_TAG, OURS,
                        AzureVmProvisioner.CREATED_TAG, Instant.now().toString())).create();
        azure.network().publicIpAddresses().define("other-owner-ip").withRegion(Emulators.REGION)
                .withExistingResourceGroup(SHARED).withTags(Map.of(AzureVmProvisioner.OWNER_TAG, "someone@else",
                        AzureVmProvisioner.CREATED_TAG, old)).create();
        azure.resources().resourceGroups().define("rg-other-owner").withRegion(Emulators.REGION)
                .withTags(Map.of(AzureVmProvisioner.OWNER_TAG, "someone@else", AzureVmProvisioner.CREATED_TAG, old))
                .create();
    }

    @AfterAll
    static void stop() {
        if (arm != null) {
            arm.close();
        }
    }

    @Test
    void deletesOnlyOurResourcesOlderThanTheAgeAndPlanningAloneDeletesNothing() {
        OrphanSweep sweep = new OrphanSweep(azure, Clock.systemUTC());
        List<LiveResource> before = arm.inventory();

        OrphanSweep.Plan plan = sweep.plan(OURS, Duration.ofHours(2), TIMEOUT);

        assertThat(arm.inventory()).as("after a dry run").containsExactlyInAnyOrderElementsOf(before);
        assertThat(plan.orphans()).extracting(OrphanSweep.Orphan::name).containsExactly(
                "sweep-old-shared-jit",
                "sweep-old-shared", "sweep-old-own-group",
                "sweep-old-shared-osdisk", "sweep-old-own-group-osdisk",
                "sweep-old-shared-nic", "sweep-old-own-group-nic",
                "sweep-old-shared-vnet", "sweep-old-own-group-vnet",
                "sweep-old-shared-ip", "sweep-old-own-group-ip",
                "sweep-old-shared-nsg", "sweep-old-own-group-nsg",
                "rg-sweep-old");
        assertThat(status(oldWithJit.jitPolicyId())).isEqualTo(200);

        List<String> deleted = sweep.delete(plan, TIMEOUT);

        assertThat(deleted).contains("resource group rg-sweep-old (with everything in it)", "VM sweep-old-shared",
                "OS disk sweep-old-shared-osdisk", "just-in-time policy sweep-old-shared-jit");
        List<LiveResource> after = arm.inventory();
        assertThat(after).extracting(LiveResource::id).noneMatch(id -> id.contains("sweep-old"));
        assertThat(after).containsAll(before.stream().filter(resource -> !resource.id().contains("sweep-old"))
                .toList());
        assertThat(after).extracting(resource -> resource.id().substring(resource.id().lastIndexOf('/') + 1))
                .containsExactlyInAnyOrder(SHARED, "rg-untagged", "untagged-ip", "no-created-tag-ip", "young-nsg",
                        "other-owner-ip", "rg-other-owner");
        assertThat(status(oldWithJit.jitPolicyId())).isEqualTo(404);
        assertThat(sweep.plan(OURS, Duration.ofHours(2), TIMEOUT).orphans()).as("a second sweep's plan").isEmpty();
    }

    private static VmSpec.Builder spec(String name, String owner) {
        return VmSpec.builder().name(name).region(Emulators.REGION).sshKeys(key).sshSource("127.0.0.1/32")
                .ownerId(owner);
    }

    private static ProvisionedVm provision(Clock clock, VmSpec.Builder spec) {
        return new AzureVmProvisioner(azure, Duration.ofMillis(100), clock).provision(spec.build(), TIMEOUT);
    }

    private static int status(String path) {
        HttpRequest request = new HttpRequest(HttpMethod.GET,
                arm.endpoint() + path.substring(1) + "?api-version=2020-01-01");
        try (HttpResponse response = azure.compute().httpPipeline().send(request).block()) {
            return response.getStatusCode();
        }
    }
}
