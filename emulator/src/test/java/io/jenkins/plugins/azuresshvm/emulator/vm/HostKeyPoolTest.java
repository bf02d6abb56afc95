package io.jenkins.plugins.azuresshvm.emulator.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HostKeyPool} with the real ssh-keygen. */
class HostKeyPoolTest {

    @TempDir
    Path temp;

    private Watchdog watchdog;

    @BeforeEach
    void startWatchdog() throws IOException {
        watchdog = Watchdog.start(temp.resolve("work"));
    }

    @AfterEach
    void stopWatchdog() {
        watchdog.close();
    }

    @Test
    void servesEveryVmKeysOfItsOwnAndRefillsInTheBackground() throws Exception {
        List<String> publicKeys = new ArrayList<>();
        try (HostKeyPool pool = HostKeyPool.start(temp.resolve("pool"), 2, watchdog)) {
            await(pool::ready, 2);
            for (int vm = 0; vm < 2; vm++) {
                Path etcSsh = Files.createDirectory(temp.resolve("vm" + vm));
                pool.takeInto(etcSsh, "root@vm" + vm);
                for (String type : HostKeys.TYPES) {
                    String publicKey = Files.readString(HostKeys.publicKey(etcSsh, type));
                    assertThat(publicKey).endsWith(" root@vm" + vm + "\n");
                    publicKeys.add(publicKey.split(" ")[1]);
                    assertThat(PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(HostKeys.privateKey(etcSsh, type)))).isEqualTo("rw-------");
                }
                Machine.Result check = Machine.run(List.of("ssh-keygen", "-y", "-f",
                        HostKeys.privateKey(etcSsh, "rsa").toString()));
                assertThat(check.stdout().strip().split(" ")[1]).as("the RSA pair matches")
                        .isEqualTo(publicKeys.get(publicKeys.size() - 3));
                await(pool::ready, 2);
            }
            assertThat(pool.misses()).isZero();
        }
        assertThat(publicKeys).hasSize(6).doesNotHaveDuplicates();
        assertThat(temp.resolve("pool")).doesNotExist();
    }

    @Test
    void anEmptyPoolGeneratesOnTheSpot() throws Exception {
        try (HostKeyPool pool = HostKeyPool.start(temp.resolve("pool"), 0, watchdog)) {
            Path etcSsh = Files.createDirectory(temp.resolve("vm"));
            pool.takeInto(etcSsh, "root@vm");

            assertThat(HostKeys.present(etcSsh)).isEqualTo(HostKeys.TYPES);
            assertThat(pool.misses()).isEqualTo(1);
            assertThat(pool.ready()).isZero();
        }
    }

    @Test
    void closingStopsGenerationUnderWayAndLeavesNoFile() throws Exception {
        HostKeyPool pool = HostKeyPool.start(temp.resolve("pool"), 8, watchdog);
        Thread.sleep(100);

        pool.close();

        assertThat(temp.resolve("pool")).doesNotExist();
        assertThat(Machine.processesMentioning(temp.resolve("pool").toString())).as("ssh-keygen runs").isEmpty();
    }

    private static void await(IntSupplier value, int expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (value.getAsInt() != expected) {
            assertThat(Instant.now()).as("waiting for %d sets ready", expected).isBefore(deadline);
            Thread.sleep(10);
        }
    }
}
